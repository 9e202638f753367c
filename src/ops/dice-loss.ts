import { isFloat } from '../backend/dtype.js';
import { check, fmt } from '../tensor/errors.js';
import { arange } from '../tensor/create.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { eq, ne, where } from './compare.js';
import { checkClassIndexTarget } from './class-target.js';
import { applyReduction, lossReduction, type Reduction } from './loss-reduction.js';
import { sum } from './reduce.js';
import { reshape, unsqueeze } from './reshape.js';
import { softmax } from './softmax.js';
import { sigmoid } from './unary.js';
import { checkFloat } from './util.js';

/** Options of `diceLoss`. */
export interface DiceLossOptions {
  /** Added to numerator and denominator (default 1): an empty class predicted empty scores 1. */
  smooth?: number;
  /**
   * 'multiclass' (default): softmax over the C channels, one class per pixel, target class
   * indices or probabilities. 'binary': a sigmoid per channel, each channel an independent
   * binary mask (one channel for foreground/background, several for multi-label), float target.
   */
  mode?: 'multiclass' | 'binary';
  /** Pixels whose class-index target is this count for nothing in any sum (default −100). */
  ignoreIndex?: number;
  /** 'mean' (default) over samples and classes, 'sum', or 'none' for the [N, C] losses. */
  reduction?: Reduction;
}

/**
 * The soft Dice loss for segmentation, of logits [N, C, d1, ...] (e.g. [N, C, H, W]). With P the
 * predicted probabilities (softmax over C, or sigmoid per element in binary mode) and Y the
 * target (one-hot class indices, or the float target itself), per sample n and class c, summing
 * over the pixels x of that sample (those not ignored):
 *
 *   loss[n, c] = 1 − (2·Σ_x P·Y + smooth) / (Σ_x P + Σ_x Y + smooth)
 *
 * that is 1 − (2|X∩Y| + s) / (|X| + |Y| + s) on soft sets, then reduced over N and C (the mean is
 * the per-class Dice loss averaged over classes and samples). Targets: class indices
 * [N, d1, ...] (multiclass), or floats of the logits' shape (probabilities in multiclass mode,
 * 0/1 or soft masks in binary mode). With smooth = 0 a class absent from both gives 0/0.
 * Shape: [] (mean, sum) or [N, C] (none).
 *
 * @example diceLoss(logits, masks) // [N, C, H, W] logits, int32 [N, H, W] class masks → []
 */
export function diceLoss(logits: Tensor, target: Tensor, options: DiceLossOptions = {}): Tensor {
  const op = 'diceLoss';
  const { smooth = 1, mode = 'multiclass', ignoreIndex = -100 } = options;
  const reduction = lossReduction(options.reduction, op);
  check(
    mode === 'multiclass' || mode === 'binary',
    op,
    () => `mode must be 'multiclass' or 'binary', got '${String(mode)}'`,
  );
  check(smooth >= 0, op, () => `smooth must not be negative, got ${smooth}`);
  checkFloat(logits, op, 'logits');
  check(
    logits.ndim >= 2,
    op,
    () => `logits must have shape [N, C, d1, ...], got ${fmt(logits.shape)}`,
  );
  const probs = mode === 'binary' ? sigmoid(logits) : softmax(logits, 1);
  let truth: Tensor;
  let predicted = probs;
  if (isFloat(target.dtype) || mode === 'binary') {
    check(
      isFloat(target.dtype) && sameShape(target.shape, logits.shape),
      op,
      () =>
        `a ${mode === 'binary' ? 'binary-mode' : 'floating-point'} target must be a float tensor of the logits' shape ${fmt(logits.shape)}, got ${target.dtype} ${fmt(target.shape)}${mode === 'binary' ? ' (convert masks with .float())' : ''}`,
    );
    check(
      options.ignoreIndex === undefined,
      op,
      () => `ignoreIndex (${ignoreIndex}) applies only to class-index targets`,
    );
    truth = target;
  } else {
    const classes = checkClassIndexTarget(logits, target, ignoreIndex, op);
    const counted = ne(target, ignoreIndex);
    // Ignored pixels get class −1, whose one-hot row is all zeros, and no predicted mass.
    const indices = unsqueeze(where(counted, cast(target, 'int32'), -1), 1);
    const classIds = reshape(arange(classes), [1, classes, ...logits.shape.slice(2).map(() => 1)]);
    truth = cast(eq(indices, classIds), logits.dtype);
    predicted = mul(probs, cast(unsqueeze(counted, 1), logits.dtype));
  }
  const pixels = Array.from({ length: logits.ndim - 2 }, (_, i) => i + 2);
  const overlap = sum(mul(predicted, truth), pixels);
  const total = add(sum(predicted, pixels), sum(truth, pixels));
  const dice = div(add(mul(overlap, 2), smooth), add(total, smooth));
  return applyReduction(sub(1, dice), reduction);
}
