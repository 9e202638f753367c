import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tensor } from '../../src/index.js';
import {
  accuracy,
  Accuracy,
  confusionMatrix,
  iou,
  meanIoU,
  MeanIoU,
  precisionRecallF1,
  topKAccuracy,
} from '../../src/train/metrics.js';

const logits = tensor([
  [2, 1, 0], // predicts 0
  [0, 3, 1], // predicts 1
  [1, 0, 2], // predicts 2
  [0, 2, 1], // predicts 1
]);
const labels = tensor([0, 2, 2, 1], { dtype: 'int32' });

describe('classification metrics', () => {
  it('accuracy and top-k count by hand', () => {
    assert.equal(accuracy(logits, labels), 3 / 4);
    assert.equal(topKAccuracy(logits, labels, 2), 4 / 4); // row 1: class 2 is second
    assert.equal(topKAccuracy(logits, labels, 1), 3 / 4);
  });

  it('reads probability targets (mixup) by their argmax', () => {
    const soft = tensor([
      [0.7, 0.3, 0],
      [0, 0.4, 0.6],
      [0.1, 0, 0.9],
      [0.2, 0.8, 0],
    ]);
    assert.equal(accuracy(logits, soft), 3 / 4);
  });

  it('confusion matrix rows are true classes; precision/recall/F1 as scikit-learn', () => {
    const m = confusionMatrix(logits, labels);
    assert.deepEqual(m, [
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    const s = precisionRecallF1(m);
    assert.deepEqual(s.precision, [1, 0.5, 1]);
    assert.deepEqual(s.recall, [1, 1, 0.5]);
    assert.deepEqual(
      s.f1.map((v) => +v.toFixed(6)),
      [1, 0.666667, 0.666667],
    );
    assert.deepEqual(s.support, [1, 1, 2]);
    assert.ok(Math.abs(s.macro.f1 - (1 + 2 / 3 + 2 / 3) / 3) < 1e-12);
    assert.ok(Math.abs(s.weighted.recall - 3 / 4) < 1e-12);
    assert.deepEqual(
      precisionRecallF1([
        [0, 0],
        [1, 0],
      ]).precision,
      [0, 0],
      'zero division gives 0',
    );
  });

  it('accumulates accuracy over batches weighted by their size', () => {
    const m = new Accuracy();
    m.update(logits, labels);
    m.update(tensor([[0, 1]]).reshape([1, 2]), tensor([1], { dtype: 'int32' }));
    assert.equal(m.compute(), 4 / 5);
    m.reset();
    assert.equal(m.compute(), 0);
  });
});

describe('segmentation metrics', () => {
  // Two classes on a 2×2 mask: logits [1, 2, 2, 2] predicting [[0, 1], [1, 1]].
  const seg = tensor([
    [
      [
        [5, 0],
        [0, 0],
      ],
      [
        [0, 5],
        [5, 5],
      ],
    ],
  ]);
  const mask = tensor(
    [
      [
        [0, 0],
        [1, 1],
      ],
    ],
    { dtype: 'int32' },
  );

  it('IoU per class and mean IoU', () => {
    // class 0: inter 1, union 2; class 1: inter 2, union 3.
    assert.deepEqual(iou(seg, mask), [1 / 2, 2 / 3]);
    assert.equal(meanIoU(seg, mask), (1 / 2 + 2 / 3) / 2);
    const m = new MeanIoU(3);
    m.update(seg, mask);
    assert.equal(m.compute(), (1 / 2 + 2 / 3) / 2, 'absent class 2 is left out');
  });

  it('leaves out ignored pixels', () => {
    const ignored = tensor(
      [
        [
          [0, -1],
          [1, 1],
        ],
      ],
      { dtype: 'int32' },
    );
    assert.deepEqual(iou(seg, ignored, { ignoreIndex: -1 }), [1, 1]);
  });
});
