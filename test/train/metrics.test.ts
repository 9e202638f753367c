import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoveaError, tensor, type Tensor } from '../../src/index.js';
import {
  accuracy,
  Accuracy,
  confusionMatrix,
  ConfusionMatrix,
  iou,
  meanIoU,
  MeanIoU,
  precisionRecallF1,
  TopK,
  topKAccuracy,
} from '../../src/train/metrics.js';

// Every expected number below is derived by hand in the comments (scikit-learn's definitions).

const int = (values: number[], shape = [values.length]) =>
  tensor(values, { dtype: 'int32', shape });
const close = (actual: number, expected: number, what = '') =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what} ${actual} vs ${expected}`);
const closeAll = (actual: number[], expected: number[]) =>
  actual.forEach((v, i) => close(v, expected[i], `[${i}]`));
const throws = (call: () => unknown, message: RegExp) =>
  assert.throws(call, (e: unknown) => e instanceof FoveaError && message.test(e.message));

/** Scores [N, C] whose argmax is each of `classes`. */
const scoresFor = (classes: number[], c: number) =>
  tensor(classes.map((k) => Array.from({ length: c }, (_, j) => (j === k ? 2 : j / 10))));

// Ten samples of 3 classes. Rows of the confusion matrix are true classes:
//   true 0 → predicted 0, 1, 2   [1, 1, 1]
//   true 1 → predicted 1, 1, 2   [0, 2, 1]
//   true 2 → predicted 2, 2, 0, 2 [1, 0, 3]
const truth = int([0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
const predicted = [0, 1, 2, 1, 1, 2, 2, 2, 0, 2];
const logits = scoresFor(predicted, 3);
const matrix = [
  [1, 1, 1],
  [0, 2, 1],
  [1, 0, 3],
];

describe('accuracy and top-k', () => {
  it('counts correct argmaxes, or predicted classes', () => {
    assert.equal(accuracy(logits, truth), 6 / 10);
    assert.equal(accuracy(int(predicted), truth), 6 / 10);
  });

  it('reads probability targets (mixup) by their argmax', () => {
    const soft = tensor([
      [0.6, 0.4, 0],
      [0.1, 0.2, 0.7],
    ]);
    assert.equal(accuracy(scoresFor([0, 1], 3), soft), 1 / 2);
  });

  it('leaves out ignoreIndex targets, and gives 0 when nothing is counted', () => {
    assert.equal(accuracy(int([1, 2, 0]), int([1, -100, 2])), 1 / 2);
    assert.equal(accuracy(int([1, 2]), int([9, 9]), { ignoreIndex: 9 }), 0);
  });

  it('reads [N, C, H, W] scores per pixel', () => {
    // Pixel classes predicted: [[1, 0]] against [[1, 1]].
    const seg = tensor([[[[0, 3]], [[1, 0]]]]);
    assert.equal(accuracy(seg, int([1, 1], [1, 1, 2])), 1 / 2);
  });

  it('top-k: fewer than k classes score strictly higher; ties count as hits', () => {
    const scores = tensor([
      [0.1, 0.5, 0.4], // target 2 is second
      [0.3, 0.3, 0.4], // target 0 ties with class 1 for second
      [0.2, 0.3, 0.5], // target 0 is third
    ]);
    const target = int([2, 0, 0]);
    assert.equal(topKAccuracy(scores, target, 1), 0);
    assert.equal(topKAccuracy(scores, target, 2), 2 / 3);
    assert.equal(topKAccuracy(scores, target, 3), 1);
  });

  it('refuses bad k, predicted classes for top-k, and mismatched shapes', () => {
    throws(() => topKAccuracy(logits, truth, 4), /topKAccuracy: k must be an integer in 1\.\.3/);
    throws(
      () => topKAccuracy(int(predicted), truth, 1),
      /topKAccuracy: output must hold scores \(a float tensor \[N, C, \.\.\.\]\), got int32/,
    );
    throws(
      () => accuracy(logits, int([0, 1])),
      /accuracy: target of shape \[2\] does not fit output of shape \[10,3\]: expected class indices \[10\] or probabilities \[10,3\]/,
    );
    throws(
      () => accuracy(logits, tensor(predicted)),
      /accuracy: a float target holds class probabilities \[N, C, \.\.\.\], got shape \[10\] \(for class indices convert it with \.int\(\)\)/,
    );
  });
});

describe('confusion matrix and precision / recall / F1', () => {
  it('rows are true classes, columns predictions', () => {
    assert.deepEqual(confusionMatrix(logits, truth), matrix);
    assert.deepEqual(confusionMatrix(int(predicted), truth, 3), matrix);
    assert.deepEqual(confusionMatrix(int([1, 0]), int([1, 255]), 2, { ignoreIndex: 255 }), [
      [0, 0],
      [0, 1],
    ]);
  });

  it('refuses classes outside the matrix and a missing numClasses', () => {
    throws(
      () => confusionMatrix(int([0]), int([3]), 3),
      /target class 3 is out of range for 3 classes/,
    );
    throws(
      () => confusionMatrix(int([5]), int([0]), 3),
      /predicted class 5 is out of range for 3 classes \(expected 0\.\.2\)$/,
    );
    throws(
      () => confusionMatrix(int([0]), int([0])),
      /numClasses is needed when the output holds predicted classes/,
    );
    throws(
      () => confusionMatrix(logits, truth, 4),
      /output has 3 classes \(shape \[10,3\]\) but the matrix has 4/,
    );
  });

  it("matches scikit-learn's precision_recall_fscore_support", () => {
    const s = precisionRecallF1(matrix);
    // Column sums (predicted counts) 2, 3, 5; row sums (support) 3, 3, 4; TP 1, 2, 3.
    closeAll(s.precision, [1 / 2, 2 / 3, 3 / 5]);
    closeAll(s.recall, [1 / 3, 2 / 3, 3 / 4]);
    closeAll(s.f1, [2 / 5, 2 / 3, 2 / 3]); // 2TP / (2TP + FP + FN)
    assert.deepEqual(s.support, [3, 3, 4]);
    close(s.macro.precision, (1 / 2 + 2 / 3 + 3 / 5) / 3);
    close(s.macro.recall, 7 / 12);
    close(s.macro.f1, 26 / 45);
    close(s.weighted.precision, (3 / 2 + 2 + 12 / 5) / 10);
    close(s.weighted.recall, 6 / 10);
    close(s.weighted.f1, 44 / 75);
    close(s.accuracy, 6 / 10);
  });

  it('zero division gives 0; classes absent from targets and predictions leave the macro mean', () => {
    const s = precisionRecallF1([
      [0, 2, 0],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    // Class 0 is never predicted (precision 0/0 → 0); class 2 never occurs at all.
    assert.deepEqual(s.precision, [0, 0.5, 0]);
    assert.deepEqual(s.recall, [0, 1, 0]);
    close(s.macro.precision, 0.5 / 2);
    close(s.macro.f1, 2 / 3 / 2);
    const empty = precisionRecallF1([[0]]);
    assert.deepEqual([empty.macro.f1, empty.weighted.f1, empty.accuracy], [0, 0, 0]);
  });
});

describe('IoU', () => {
  // One 2×3 mask, 4 classes (class 3 absent from both):
  //   target [[0, 0, 1], [1, 2, 2]]   predicted [[0, 1, 1], [1, 2, 0]]
  // class 0: TP 1, FP 1, FN 1 → 1/3; class 1: TP 2, FP 1 → 2/3; class 2: TP 1, FN 1 → 1/2.
  const target = int([0, 0, 1, 1, 2, 2], [1, 2, 3]);
  const prediction = int([0, 1, 1, 1, 2, 0], [1, 2, 3]);

  it('per class, NaN for a class absent from both; the mean leaves it out', () => {
    const perClass = iou(prediction, target, 4);
    closeAll(perClass.slice(0, 3), [1 / 3, 2 / 3, 1 / 2]);
    assert.ok(Number.isNaN(perClass[3]));
    close(meanIoU(prediction, target, 4), 1 / 2);
  });

  it('leaves out ignored pixels', () => {
    // The last pixel ignored: class 0 loses its FP (1/2), class 2 its FN (1).
    const ignored = int([0, 0, 1, 1, 2, 255], [1, 2, 3]);
    close(meanIoU(prediction, ignored, 4, { ignoreIndex: 255 }), (1 / 2 + 2 / 3 + 1) / 3);
  });

  it('reads [N, C, H, W] scores', () => {
    const scores = tensor([[[[5, 0]], [[0, 5]]]]); // predicts [[0, 1]]
    assert.deepEqual(iou(scores, int([0, 0], [1, 1, 2])), [1 / 2, 0]);
  });
});

describe('streaming metrics', () => {
  const halves = (t: Tensor) => [t.slice(0, 0, 4), t.slice(0, 4)];
  const [logitsA, logitsB] = halves(logits);
  const [truthA, truthB] = halves(truth);

  it('Accuracy and TopK count samples over batches of different sizes', () => {
    const acc = new Accuracy();
    const top2 = new TopK(2);
    for (const m of [acc, top2]) {
      m.update(logitsA, truthA);
      m.update(logitsB, truthB);
    }
    assert.equal(acc.name, 'accuracy');
    assert.equal(acc.compute(), 6 / 10);
    assert.equal(top2.name, 'top2_accuracy');
    assert.equal(top2.compute(), topKAccuracy(logits, truth, 2));
    acc.reset();
    assert.equal(acc.compute(), 0);
  });

  it('ConfusionMatrix sums batches and reports the macro F1', () => {
    const m = new ConfusionMatrix();
    m.update(logitsA, truthA);
    m.update(logitsB, truthB);
    assert.deepEqual(m.counts, matrix);
    assert.equal(m.name, 'macro_f1');
    close(m.compute(), 26 / 45);
    m.reset();
    assert.deepEqual(m.counts, []);
    throws(
      () => new ConfusionMatrix().update(int([0]), int([0])),
      /ConfusionMatrix: numClasses is needed/,
    );
  });

  it('MeanIoU pools the pixels of every batch (not a mean of batch means)', () => {
    // Batch A: one pixel of class 0, right; batch B: one pixel of class 0 predicted as 1.
    // Pooled: class 0 IoU 1/2, class 1 IoU 0 → 1/4 (batch means would give (1 + 0) / 2).
    const m = new MeanIoU(3);
    m.update(int([0], [1, 1]), int([0], [1, 1]));
    m.update(int([1], [1, 1]), int([0], [1, 1]));
    assert.equal(m.name, 'mean_iou');
    assert.equal(m.compute(), 1 / 4);
    m.reset();
    assert.equal(m.compute(), 0);
    throws(() => new MeanIoU(0), /MeanIoU: numClasses must be a positive integer, got 0/);
  });
});
