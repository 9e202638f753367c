import { isFloat } from '../backend/dtype.js';
import { check, fmt } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

// Metrics are plain numbers read from the tensors' data, outside autograd. Conventions shared by
// every function and accumulator here:
// - `output` is either scores (a float tensor [N, C, d1, ...]: logits or probabilities, whose
//   argmax over dim 1 is the predicted class) or predicted classes (an integer tensor [N, d1, ...]).
// - `target` is either class indices (an integer tensor [N, d1, ...]) or class probabilities (a
//   float tensor [N, C, d1, ...], e.g. from mixup or cutmix), whose argmax counts as the class.
// - Samples whose target is `ignoreIndex` (default −100, as the losses) are left out.
// - Ties in an argmax go to the lowest class index.

/**
 * A metric accumulated over the batches of an epoch, as fit uses it: `reset` at the start,
 * `update` with each batch's model output and target, `compute` for the value so far.
 */
export interface Metric {
  /** The name logs use ('accuracy', 'top5_accuracy', 'mean_iou', 'macro_f1'). */
  readonly name: string;
  update(output: Tensor, target: Tensor): void;
  compute(): number;
  reset(): void;
}

/** Options of the metric functions and accumulators. */
export interface MetricOptions {
  /** Samples (pixels) whose target class is this are left out (default −100). */
  ignoreIndex?: number;
}

/** Predicted and true classes, one per sample (pixel), in the same order. */
interface ClassPairs {
  predicted: ArrayLike<number>;
  actual: ArrayLike<number>;
  /** C when the output holds scores, else undefined. */
  classes?: number;
}

/** The index of the max along dim 1 of [N, C, d1, ...], laid out as [N, d1, ...]. */
function argmaxDim1(t: Tensor): Int32Array {
  const [n, c] = [t.shape[0], t.shape[1]];
  const inner = n * c === 0 ? 0 : t.size / (n * c);
  const out = new Int32Array(n * inner);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < inner; r++) {
      const base = i * c * inner + r;
      let best = 0;
      for (let k = 1; k < c; k++)
        if (t.data[base + k * inner] > t.data[base + best * inner]) best = k;
      out[i * inner + r] = best;
    }
  }
  return out;
}

/** The shape of [N, C, d1, ...] without its class dim. */
const withoutClassDim = (shape: readonly number[]) => [shape[0], ...shape.slice(2)];

/** Reads output and target as classes, checking that they pair up (see the conventions above). */
function classPairs(output: Tensor, target: Tensor, op: string): ClassPairs {
  const scores = isFloat(output.dtype);
  check(
    !scores || output.ndim >= 2,
    op,
    () =>
      `output scores must have shape [N, C, d1, ...], got ${fmt(output.shape)} (predicted classes must be an integer tensor)`,
  );
  const predictedShape = scores ? withoutClassDim(output.shape) : output.shape;
  const soft = isFloat(target.dtype);
  check(
    !soft || target.ndim >= 2,
    op,
    () =>
      `a float target holds class probabilities [N, C, ...], got shape ${fmt(target.shape)} (for class indices convert it with .int())`,
  );
  const actualShape = soft ? withoutClassDim(target.shape) : target.shape;
  check(
    sameShape(predictedShape, actualShape) &&
      (!soft || !scores || sameShape(output.shape, target.shape)),
    op,
    () =>
      `target of shape ${fmt(target.shape)} does not fit output of shape ${fmt(output.shape)}: expected class indices ${fmt(predictedShape)}${scores ? ` or probabilities ${fmt(output.shape)}` : ''}`,
  );
  return {
    predicted: scores ? argmaxDim1(output) : output.data,
    actual: soft ? argmaxDim1(target) : target.data,
    classes: scores ? output.shape[1] : undefined,
  };
}

/** [correct, counted] of `accuracy`. */
function correctCounts(output: Tensor, target: Tensor, ignoreIndex: number, op: string) {
  const { predicted, actual } = classPairs(output, target, op);
  let [correct, counted] = [0, 0];
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === ignoreIndex) continue;
    counted++;
    if (predicted[i] === actual[i]) correct++;
  }
  return [correct, counted];
}

/**
 * Fraction of samples whose predicted class equals the target class: #correct / #counted, as
 * Keras's accuracy; 0 when nothing is counted. With scores the prediction is their argmax over
 * dim 1; with probability targets (mixup) the target class is their argmax.
 *
 * @example accuracy(logits, labels) // [N, C] scores, int32 [N] labels → e.g. 0.75
 */
export function accuracy(output: Tensor, target: Tensor, options: MetricOptions = {}): number {
  const { ignoreIndex = -100 } = options;
  const [correct, counted] = correctCounts(output, target, ignoreIndex, 'accuracy');
  return counted === 0 ? 0 : correct / counted;
}

/** [hits, counted] of `topKAccuracy`. */
function topKCounts(output: Tensor, target: Tensor, k: number, ignoreIndex: number, op: string) {
  check(
    isFloat(output.dtype),
    op,
    () => `output must hold scores (a float tensor [N, C, ...]), got ${output.dtype}`,
  );
  const { actual, classes = 0 } = classPairs(output, target, op);
  check(
    Number.isInteger(k) && k >= 1 && k <= classes,
    op,
    () => `k must be an integer in 1..${classes} (the number of classes), got ${k}`,
  );
  const inner = actual.length === 0 ? 0 : output.size / (output.shape[0] * classes);
  let [hits, counted] = [0, 0];
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i];
    if (y === ignoreIndex) continue;
    checkClass(y, classes, ignoreIndex, op);
    counted++;
    const base = Math.floor(i / inner) * classes * inner + (i % inner);
    const score = output.data[base + y * inner];
    let above = 0;
    for (let c = 0; c < classes; c++) if (output.data[base + c * inner] > score) above++;
    if (above < k) hits++;
  }
  return [hits, counted];
}

/**
 * Fraction of samples whose target class is among the k highest scores of `output`
 * [N, C, d1, ...], i.e. fewer than k classes score strictly higher than the target's. Ties at the
 * boundary count as hits, as Keras's in_top_k. 0 when nothing is counted.
 *
 * @example topKAccuracy(logits, labels, 5) // [N, 100] scores, int32 [N] → top-5 accuracy
 */
export function topKAccuracy(
  output: Tensor,
  target: Tensor,
  k: number,
  options: MetricOptions = {},
): number {
  const { ignoreIndex = -100 } = options;
  const [hits, counted] = topKCounts(output, target, k, ignoreIndex, 'topKAccuracy');
  return counted === 0 ? 0 : hits / counted;
}

/** Checks a class index against C. */
function checkClass(c: number, classes: number, ignoreIndex: number, op: string, what = 'target') {
  check(
    Number.isInteger(c) && c >= 0 && c < classes,
    op,
    () =>
      `${what} class ${c} is out of range for ${classes} classes (expected 0..${classes - 1}${what === 'target' ? `, or ignoreIndex ${ignoreIndex}` : ''})`,
  );
}

/** Adds the (true, predicted) pairs of one batch to `counts`. */
function addPairs(
  counts: number[][],
  output: Tensor,
  target: Tensor,
  ignoreIndex: number,
  op: string,
): void {
  const { predicted, actual, classes } = classPairs(output, target, op);
  const n = counts.length;
  check(
    classes === undefined || classes === n,
    op,
    () => `output has ${classes} classes (shape ${fmt(output.shape)}) but the matrix has ${n}`,
  );
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === ignoreIndex) continue;
    checkClass(actual[i], n, ignoreIndex, op);
    checkClass(predicted[i], n, ignoreIndex, op, 'predicted');
    counts[actual[i]][predicted[i]]++;
  }
}

/** Checks a number of classes given by the caller. */
function checkNumClasses(n: number, op: string): void {
  check(Number.isInteger(n) && n >= 1, op, () => `numClasses must be a positive integer, got ${n}`);
}

/** The number of classes: given, or C of a scores output; needed for predicted classes. */
function classCount(output: Tensor, numClasses: number | undefined, op: string): number {
  if (numClasses !== undefined) {
    checkNumClasses(numClasses, op);
    return numClasses;
  }
  check(
    isFloat(output.dtype),
    op,
    () => 'numClasses is needed when the output holds predicted classes rather than scores',
  );
  return output.shape[1];
}

const zeroMatrix = (n: number) => Array.from({ length: n }, () => new Array<number>(n).fill(0));

/**
 * The confusion matrix: counts[t][p] is how many samples of true class t were predicted as p
 * (rows are true classes, columns predictions, as scikit-learn). `numClasses` defaults to C of a
 * scores output; it is required for predicted classes.
 *
 * @example confusionMatrix(logits, labels) // [[50, 2], [3, 45]]
 */
export function confusionMatrix(
  output: Tensor,
  target: Tensor,
  numClasses?: number,
  options: MetricOptions = {},
): number[][] {
  const { ignoreIndex = -100 } = options;
  const counts = zeroMatrix(classCount(output, numClasses, 'confusionMatrix'));
  addPairs(counts, output, target, ignoreIndex, 'confusionMatrix');
  return counts;
}

/** Precision, recall and F1 of one averaging. */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/** What `precisionRecallF1` gives. */
export interface ClassScores {
  /** Per class: TP / (TP + FP), of the samples predicted as the class. */
  precision: number[];
  /** Per class: TP / (TP + FN), of the samples of the class. */
  recall: number[];
  /** Per class: 2TP / (2TP + FP + FN), the harmonic mean of precision and recall. */
  f1: number[];
  /** Per class: the number of samples of the class (its row sum). */
  support: number[];
  /** Unweighted means over the classes that occur in the targets or the predictions. */
  macro: AveragedScores;
  /** Means weighted by support. */
  weighted: AveragedScores;
  /** Σ TP / Σ support: the fraction classified correctly. */
  accuracy: number;
}

/**
 * Per-class precision, recall and F1 from a confusion matrix (rows true classes, columns
 * predictions), with their macro and support-weighted averages, as scikit-learn's
 * precision_recall_fscore_support with zero_division=0: a ratio whose denominator is 0 is 0. The
 * macro average, like scikit-learn's default labels, covers only the classes that occur in the
 * targets or the predictions (a row or column with counts); all averages are 0 for an empty matrix.
 *
 * @example precisionRecallF1(confusionMatrix(logits, labels)).macro.f1
 */
export function precisionRecallF1(confusion: readonly (readonly number[])[]): ClassScores {
  const n = confusion.length;
  check(
    confusion.every((row) => row.length === n),
    'precisionRecallF1',
    () =>
      `the confusion matrix must be square, got rows of lengths ${confusion.map((r) => r.length)}`,
  );
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const total = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0);
  const tp = confusion.map((row, i) => row[i]);
  const support = confusion.map(total);
  const predicted = tp.map((_, j) => total(confusion.map((row) => row[j])));
  const precision = tp.map((t, i) => ratio(t, predicted[i]));
  const recall = tp.map((t, i) => ratio(t, support[i]));
  const f1 = tp.map((t, i) => ratio(2 * t, support[i] + predicted[i]));
  const present = tp.map((_, i) => support[i] + predicted[i] > 0);
  const count = present.filter(Boolean).length;
  const all = total(support);
  const macro = (xs: number[]) => ratio(total(xs.filter((_, i) => present[i])), count);
  const weighted = (xs: number[]) => ratio(total(xs.map((v, i) => v * support[i])), all);
  const average = (mean: (xs: number[]) => number): AveragedScores => ({
    precision: mean(precision),
    recall: mean(recall),
    f1: mean(f1),
  });
  return {
    precision,
    recall,
    f1,
    support,
    macro: average(macro),
    weighted: average(weighted),
    accuracy: ratio(total(tp), all),
  };
}

/** IoU of each class from a confusion matrix: TP / (TP + FP + FN), NaN where that is 0/0. */
function confusionIoU(counts: readonly (readonly number[])[]): number[] {
  return counts.map((row, c) => {
    const union = row.reduce((s, v) => s + v, 0) + counts.reduce((s, r) => s + r[c], 0) - row[c];
    return union === 0 ? NaN : row[c] / union;
  });
}

/** The mean of the entries that are not NaN; 0 when there are none (as Keras's MeanIoU). */
function meanOfPresent(values: readonly number[]): number {
  const present = values.filter((v) => !Number.isNaN(v));
  return present.length === 0 ? 0 : present.reduce((s, v) => s + v, 0) / present.length;
}

/**
 * Intersection over union of each class for segmentation masks, |pred ∩ target| / |pred ∪ target|
 * = TP / (TP + FP + FN) over all pixels: `output` scores [N, C, H, W] (or predicted masks
 * [N, H, W]) against target masks [N, H, W]. Pixels whose target is ignoreIndex count for
 * nothing. A class absent from both prediction and target has no IoU: its entry is NaN.
 *
 * @example iou(logits, masks, 3, { ignoreIndex: 255 }) // [0.91, 0.62, NaN]
 */
export function iou(
  output: Tensor,
  target: Tensor,
  numClasses?: number,
  options: MetricOptions = {},
): number[] {
  const { ignoreIndex = -100 } = options;
  const counts = zeroMatrix(classCount(output, numClasses, 'iou'));
  addPairs(counts, output, target, ignoreIndex, 'iou');
  return confusionIoU(counts);
}

/**
 * The mean of `iou` over the classes present in the prediction or the target (classes absent from
 * both are left out, not counted as 0 or 1); 0 when no pixel is counted.
 *
 * @example meanIoU(logits, masks) // [N, C, H, W] scores, int32 [N, H, W] masks → e.g. 0.72
 */
export function meanIoU(
  output: Tensor,
  target: Tensor,
  numClasses?: number,
  options: MetricOptions = {},
): number {
  return meanOfPresent(iou(output, target, numClasses, options));
}

/**
 * Accuracy over an epoch, logged as 'accuracy': correct / counted samples over every batch so far
 * (0 before any). Same conventions as `accuracy`.
 *
 * @example fit(model, data, { optimizer, metrics: [new Accuracy(), new TopK(5)] })
 */
export class Accuracy implements Metric {
  readonly name = 'accuracy';
  private correct = 0;
  private counted = 0;

  constructor(private readonly options: MetricOptions = {}) {}

  update(output: Tensor, target: Tensor): void {
    const { ignoreIndex = -100 } = this.options;
    const [correct, counted] = correctCounts(output, target, ignoreIndex, 'Accuracy');
    this.correct += correct;
    this.counted += counted;
  }

  compute(): number {
    return this.counted === 0 ? 0 : this.correct / this.counted;
  }

  reset(): void {
    this.correct = this.counted = 0;
  }
}

/**
 * Top-k accuracy over an epoch, logged as 'top<k>_accuracy' (e.g. 'top5_accuracy'); the output
 * must hold scores. Same conventions as `topKAccuracy`.
 *
 * @example new TopK(5)
 */
export class TopK implements Metric {
  readonly name: string;
  private hits = 0;
  private counted = 0;

  constructor(
    readonly k: number,
    private readonly options: MetricOptions = {},
  ) {
    check(Number.isInteger(k) && k >= 1, 'TopK', () => `k must be a positive integer, got ${k}`);
    this.name = `top${k}_accuracy`;
  }

  update(output: Tensor, target: Tensor): void {
    const { ignoreIndex = -100 } = this.options;
    const [hits, counted] = topKCounts(output, target, this.k, ignoreIndex, 'TopK');
    this.hits += hits;
    this.counted += counted;
  }

  compute(): number {
    return this.counted === 0 ? 0 : this.hits / this.counted;
  }

  reset(): void {
    this.hits = this.counted = 0;
  }
}

/**
 * The confusion matrix over an epoch (`counts`, rows true classes), for `precisionRecallF1`, the
 * report, or IoU. As a Metric it reports the macro-averaged F1, logged as 'macro_f1'.
 * `numClasses` defaults to C of the first scores output it sees; it is required when the outputs
 * are predicted classes.
 *
 * @example
 * const confusion = new ConfusionMatrix(10);
 * evaluate(model, testSet, { metrics: [confusion] });
 * precisionRecallF1(confusion.counts).f1;
 */
export class ConfusionMatrix implements Metric {
  readonly name = 'macro_f1';
  /** counts[t][p]: samples of true class t predicted as p, so far this epoch. */
  counts: number[][];

  constructor(
    readonly numClasses?: number,
    private readonly options: MetricOptions = {},
  ) {
    if (numClasses !== undefined) checkNumClasses(numClasses, 'ConfusionMatrix');
    this.counts = zeroMatrix(numClasses ?? 0);
  }

  update(output: Tensor, target: Tensor): void {
    if (this.counts.length === 0) {
      this.counts = zeroMatrix(classCount(output, this.numClasses, 'ConfusionMatrix'));
    }
    addPairs(this.counts, output, target, this.options.ignoreIndex ?? -100, 'ConfusionMatrix');
  }

  compute(): number {
    return precisionRecallF1(this.counts).macro.f1;
  }

  reset(): void {
    this.counts = zeroMatrix(this.numClasses ?? 0);
  }
}

/**
 * Mean IoU over an epoch for segmentation, logged as 'mean_iou': the per-class IoU of the pixels
 * of every batch so far (not a mean of batch means), averaged over the classes present. Same
 * conventions as `meanIoU`.
 *
 * @example fit(unet, masks, { optimizer, metrics: [new MeanIoU(21, { ignoreIndex: 255 })] })
 */
export class MeanIoU implements Metric {
  readonly name = 'mean_iou';
  private readonly counts: number[][];

  constructor(
    readonly numClasses: number,
    private readonly options: MetricOptions = {},
  ) {
    checkNumClasses(numClasses, 'MeanIoU');
    this.counts = zeroMatrix(numClasses);
  }

  update(output: Tensor, target: Tensor): void {
    addPairs(this.counts, output, target, this.options.ignoreIndex ?? -100, 'MeanIoU');
  }

  compute(): number {
    return meanOfPresent(confusionIoU(this.counts));
  }

  reset(): void {
    for (const row of this.counts) row.fill(0);
  }
}
