import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A metric accumulated over the batches of an epoch: `update` with each batch's model output and
 * target, `compute` the value so far, `reset` at the start of an epoch (fit does both).
 */
export interface Metric {
  /** The name logs use ('accuracy', 'top5', 'miou'). */
  readonly name: string;
  update(output: Tensor, target: Tensor): void;
  compute(): number;
  reset(): void;
}

/**
 * The class each row of `output` [N, C, ...] predicts (argmax over dim 1), and the true class of
 * each `target`: class indices [N, ...], or probabilities [N, C, ...] (mixup/cutmix) whose argmax
 * counts as the class. Both flattened to N·∏rest entries.
 */
function classesOf(
  output: Tensor,
  target: Tensor,
  name: string,
): { predicted: Int32Array; actual: Int32Array; classes: number } {
  check(
    output.ndim >= 2,
    name,
    () => `expected model output [N, C, ...], got shape ${fmt(output.shape)}`,
  );
  const classes = output.shape[1];
  const predicted = argmaxDim1(output);
  const soft = target.ndim === output.ndim;
  const actual = soft ? argmaxDim1(target) : Int32Array.from(target.data);
  check(
    actual.length === predicted.length,
    name,
    () => `target shape ${fmt(target.shape)} does not match output shape ${fmt(output.shape)}`,
  );
  return { predicted, actual, classes };
}

/** Index of the max along dim 1 of [N, C, ...rest], flattened over N and rest. */
function argmaxDim1(t: Tensor): Int32Array {
  const [n, c] = [t.shape[0], t.shape[1]];
  const rest = t.size / (n * c);
  const out = new Int32Array(n * rest);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < rest; r++) {
      let best = 0;
      for (let k = 1; k < c; k++)
        if (t.data[(i * c + k) * rest + r] > t.data[(i * c + best) * rest + r]) best = k;
      out[i * rest + r] = best;
    }
  }
  return out;
}

/** Fraction of predictions (argmax of the output's dim 1) equal to the target class. */
export function accuracy(output: Tensor, target: Tensor): number {
  const { predicted, actual } = classesOf(output, target, 'accuracy');
  let correct = 0;
  predicted.forEach((p, i) => (correct += p === actual[i] ? 1 : 0));
  return correct / Math.max(1, predicted.length);
}

/** Fraction of rows whose target class is among the k highest outputs ([N, C] logits). */
export function topKAccuracy(output: Tensor, target: Tensor, k: number): number {
  check(
    output.ndim === 2 && k >= 1 && k <= output.shape[1],
    'topKAccuracy',
    () => `expected output [N, C] with 1 ≤ k ≤ C, got shape ${fmt(output.shape)} and k = ${k}`,
  );
  const { actual } = classesOf(output, target, 'topKAccuracy');
  const c = output.shape[1];
  let hits = 0;
  actual.forEach((y, i) => {
    const score = output.data[i * c + y];
    let above = 0;
    for (let j = 0; j < c; j++) if (output.data[i * c + j] > score) above++;
    if (above < k) hits++;
  });
  return hits / Math.max(1, actual.length);
}

/** counts[t][p]: how many samples of true class t were predicted as p (rows are true classes). */
export function confusionMatrix(output: Tensor, target: Tensor): number[][] {
  const { predicted, actual, classes } = classesOf(output, target, 'confusionMatrix');
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  actual.forEach((t, i) => {
    check(
      t >= 0 && t < classes,
      'confusionMatrix',
      () => `target class ${t} is outside 0..${classes - 1}`,
    );
    counts[t][predicted[i]]++;
  });
  return counts;
}

/** Per-class precision, recall, F1 and support, with their macro and support-weighted means. */
export interface ClassScores {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
}

/**
 * Precision, recall and F1 of each class from a confusion matrix (rows true, columns predicted);
 * a ratio with a zero denominator counts as 0, as scikit-learn's zero_division=0.
 */
export function precisionRecallF1(confusion: readonly (readonly number[])[]): ClassScores {
  const n = confusion.length;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const support = confusion.map((row) => row.reduce((s, v) => s + v, 0));
  const predicted = confusion[0]?.map((_, j) => confusion.reduce((s, row) => s + row[j], 0)) ?? [];
  const precision = confusion.map((row, i) => ratio(row[i], predicted[i]));
  const recall = confusion.map((row, i) => ratio(row[i], support[i]));
  const f1 = precision.map((p, i) => ratio(2 * p * recall[i], p + recall[i]));
  const total = support.reduce((s, v) => s + v, 0);
  const macro = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / Math.max(1, n);
  const weighted = (xs: number[]) =>
    ratio(
      xs.reduce((s, v, i) => s + v * support[i], 0),
      total,
    );
  return {
    precision,
    recall,
    f1,
    support,
    macro: { precision: macro(precision), recall: macro(recall), f1: macro(f1) },
    weighted: { precision: weighted(precision), recall: weighted(recall), f1: weighted(f1) },
  };
}

/**
 * Intersection over union of each class for segmentation: `output` [N, C, H, W] logits (or any
 * [N, C, ...]) against target masks [N, H, W] of class ids. Pixels whose target is `ignoreIndex`
 * are left out; a class absent from both prediction and target gets NaN (excluded from meanIoU).
 */
export function iou(output: Tensor, target: Tensor, { ignoreIndex = -100 } = {}): number[] {
  const { predicted, actual, classes } = classesOf(output, target, 'iou');
  const inter = new Array<number>(classes).fill(0);
  const union = new Array<number>(classes).fill(0);
  actual.forEach((t, i) => {
    if (t === ignoreIndex) return;
    const p = predicted[i];
    if (p === t) {
      inter[t]++;
      union[t]++;
    } else {
      union[t]++;
      union[p]++;
    }
  });
  return inter.map((v, c) => (union[c] === 0 ? NaN : v / union[c]));
}

/** Mean IoU over the classes present in prediction or target. */
export function meanIoU(
  output: Tensor,
  target: Tensor,
  options: { ignoreIndex?: number } = {},
): number {
  return meanOfPresent(iou(output, target, options));
}

function meanOfPresent(values: number[]): number {
  const present = values.filter((v) => !Number.isNaN(v));
  return present.reduce((s, v) => s + v, 0) / Math.max(1, present.length);
}

/** Accuracy over an epoch (logged as 'accuracy'). */
export class Accuracy implements Metric {
  readonly name = 'accuracy';
  private correct = 0;
  private count = 0;

  update(output: Tensor, target: Tensor): void {
    const n = output.size / output.shape[1];
    this.correct += accuracy(output, target) * n;
    this.count += n;
  }

  compute(): number {
    return this.count === 0 ? 0 : this.correct / this.count;
  }

  reset(): void {
    this.correct = this.count = 0;
  }
}

/** Top-k accuracy over an epoch (logged as 'top<k>'). */
export class TopKAccuracy implements Metric {
  readonly name: string;
  private hits = 0;
  private count = 0;

  constructor(readonly k: number) {
    this.name = `top${k}`;
  }

  update(output: Tensor, target: Tensor): void {
    this.hits += topKAccuracy(output, target, this.k) * output.shape[0];
    this.count += output.shape[0];
  }

  compute(): number {
    return this.count === 0 ? 0 : this.hits / this.count;
  }

  reset(): void {
    this.hits = this.count = 0;
  }
}

/** The confusion matrix over an epoch; compute() gives its accuracy ('confusion_accuracy'). */
export class ConfusionMatrix implements Metric {
  readonly name = 'confusion_accuracy';
  counts: number[][] = [];

  update(output: Tensor, target: Tensor): void {
    const batch = confusionMatrix(output, target);
    if (this.counts.length === 0) this.counts = batch;
    else batch.forEach((row, i) => row.forEach((v, j) => (this.counts[i][j] += v)));
  }

  compute(): number {
    const total = this.counts.flat().reduce((s, v) => s + v, 0);
    return total === 0 ? 0 : this.counts.reduce((s, row, i) => s + row[i], 0) / total;
  }

  reset(): void {
    this.counts = [];
  }
}

/** Mean IoU over an epoch, from accumulated per-class intersections and unions ('miou'). */
export class MeanIoU implements Metric {
  readonly name = 'miou';
  private inter: number[];
  private union: number[];

  constructor(
    readonly numClasses: number,
    readonly options: { ignoreIndex?: number } = {},
  ) {
    this.inter = new Array<number>(numClasses).fill(0);
    this.union = new Array<number>(numClasses).fill(0);
  }

  update(output: Tensor, target: Tensor): void {
    const { predicted, actual } = classesOf(output, target, 'MeanIoU');
    const ignore = this.options.ignoreIndex ?? -100;
    actual.forEach((t, i) => {
      if (t === ignore) return;
      const p = predicted[i];
      this.union[t]++;
      if (p === t) this.inter[t]++;
      else this.union[p]++;
    });
  }

  compute(): number {
    return meanOfPresent(this.inter.map((v, c) => (this.union[c] === 0 ? NaN : v / this.union[c])));
  }

  reset(): void {
    this.inter.fill(0);
    this.union.fill(0);
  }
}
