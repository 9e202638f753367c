import { isFloat } from '../backend/dtype.js';
import { check, fmt } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul } from './arithmetic.js';
import { cast } from './cast.js';
import { ne, where } from './compare.js';
import { gather } from './gather.js';
import { applyReduction, lossReduction, type Reduction } from './loss-reduction.js';
import { sum } from './reduce.js';
import { reshape, squeeze, unsqueeze } from './reshape.js';
import { logSoftmax } from './softmax.js';
import { neg } from './unary.js';
import { checkFloat } from './util.js';

/** Options of `nllLoss`. */
export interface NllLossOptions {
  /** One weight per class (1-D, C entries): each sample's loss is scaled by its target's. */
  weight?: Tensor;
  /** Samples whose target is this class index count for nothing, not even in the mean (−100). */
  ignoreIndex?: number;
  /**
   * 'mean' (default): Σ loss / Σ weight of the counted targets (their count without weights);
   * 'sum'; 'none': one loss per sample, 0 for ignored ones.
   */
  reduction?: Reduction;
}

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions extends NllLossOptions {
  /** ε in [0, 1]: the target distribution becomes (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/** The number of classes of an input laid out [N, C, d1, ...], or [C] for a single sample. */
function classCount(input: Tensor, op: string, what: string): number {
  checkFloat(input, op, what);
  check(
    input.ndim >= 1,
    op,
    () => `${what} must have shape [N, C, d1, ...] or [C], got ${fmt(input.shape)}`,
  );
  return input.shape[input.ndim === 1 ? 0 : 1];
}

/** Checks an optional class-weight vector: floating-point, 1-D, one entry per class. */
function checkClassWeight(weight: Tensor | undefined, classes: number, op: string): void {
  if (weight === undefined) return;
  checkFloat(weight, op, 'weight');
  check(
    weight.ndim === 1 && weight.size === classes,
    op,
    () => `weight must be a 1-D tensor of ${classes} class weights, got shape ${fmt(weight.shape)}`,
  );
}

/** Checks class-index targets: integer, one per sample ([N, d1, ...], or [] for [C] input), in range. */
function checkClassTarget(
  input: Tensor,
  target: Tensor,
  classes: number,
  ignoreIndex: number,
  op: string,
): void {
  check(
    !isFloat(target.dtype),
    op,
    () =>
      `target must hold class indices as an integer tensor, got ${target.dtype} of shape ${fmt(target.shape)} (convert with .int())`,
  );
  const expected = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  check(
    sameShape(target.shape, expected),
    op,
    () =>
      `target of shape ${fmt(target.shape)} must have shape ${fmt(expected)}: one class index per sample of input ${fmt(input.shape)}`,
  );
  const bad = target.data.find((v) => v !== ignoreIndex && (v < 0 || v >= classes));
  check(
    bad === undefined,
    op,
    () =>
      `target class ${bad} is out of range for ${classes} classes (expected 0..${classes - 1}, or ignoreIndex ${ignoreIndex})`,
  );
}

/** A per-class vector laid out along dim 1 of an [N, C, d1, ...] tensor, to broadcast with it. */
function alongClassDim(v: Tensor, ndim: number): Tensor {
  return reshape(v, [v.size, ...new Array<number>(ndim - 2).fill(1)]);
}

/**
 * The loss of batched log-probabilities [N, C, d1, ...] against class indices [N, d1, ...], as
 * PyTorch defines it: per sample −w[t]·logp[t], blended with the uniform term −Σ_c w[c]·logp[c]
 * as (1 − ε)·nll + (ε/C)·uniform; ignored samples give 0, and the mean divides by Σ w[t] over the
 * counted samples (for both terms).
 */
function classIndexLoss(
  logProbs: Tensor,
  target: Tensor,
  weight: Tensor | undefined,
  ignoreIndex: number,
  smoothing: number,
  reduction: Reduction,
): Tensor {
  const indices = cast(target, 'int32');
  const counted = ne(indices, ignoreIndex);
  // Ignored samples read class 0 (any valid index) and are then masked out.
  const safe = where(counted, indices, 0);
  const picked = where(counted, squeeze(gather(logProbs, 1, unsqueeze(safe, 1)), 1), 0);
  const sampleWeight = weight
    ? where(counted, reshape(gather(weight, 0, reshape(safe, [-1])), safe.shape), 0)
    : cast(counted, logProbs.dtype);
  let loss = neg(mul(picked, sampleWeight));
  if (smoothing > 0) {
    const weighted = weight ? mul(logProbs, alongClassDim(weight, logProbs.ndim)) : logProbs;
    const uniform = where(counted, neg(sum(weighted, 1)), 0);
    const classes = logProbs.shape[1];
    loss = add(mul(loss, 1 - smoothing), mul(uniform, smoothing / classes));
  }
  return reduction === 'mean' ? div(sum(loss), sum(sampleWeight)) : applyReduction(loss, reduction);
}

/**
 * The loss of batched log-probabilities [N, C, d1, ...] against probability targets of the same
 * shape: per sample −Σ_c w[c]·t'[c]·logp[c] with t' = (1 − ε)·t + ε/C; the mean divides by the
 * number of samples N·d1·…, whatever the weights (as PyTorch).
 */
function probabilityLoss(
  logProbs: Tensor,
  target: Tensor,
  weight: Tensor | undefined,
  smoothing: number,
  reduction: Reduction,
): Tensor {
  const classes = logProbs.shape[1];
  const smoothed = smoothing > 0 ? add(mul(target, 1 - smoothing), smoothing / classes) : target;
  const weighted = weight ? mul(smoothed, alongClassDim(weight, logProbs.ndim)) : smoothed;
  return applyReduction(neg(sum(mul(logProbs, weighted), 1)), reduction);
}

/**
 * Runs `loss` on input and target with a batch dim of 1 added when the input is a single [C]
 * sample, and removes it again from an unreduced result.
 */
function perBatch(
  input: Tensor,
  target: Tensor,
  reduction: Reduction,
  loss: (input: Tensor, target: Tensor) => Tensor,
): Tensor {
  if (input.ndim !== 1) return loss(input, target);
  const out = loss(unsqueeze(input, 0), unsqueeze(target, 0));
  return reduction === 'none' ? squeeze(out, 0) : out;
}

/**
 * Negative log-likelihood of log-probabilities `logProbs` [N, C, d1, ...] (or [C]) for class
 * indices `target` [N, d1, ...] (or []): −weight[t]·logProbs[n, t, ...] per sample, as
 * `F.nll_loss`. Targets equal to ignoreIndex count for nothing. Use it after `logSoftmax`;
 * `crossEntropy` does both. Shape: [] (mean, sum) or the target's shape (none).
 *
 * @example nllLoss(logSoftmax(logits, 1), labels, { reduction: 'sum' })
 */
export function nllLoss(logProbs: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const op = 'nllLoss';
  const { weight, ignoreIndex = -100 } = options;
  const reduction = lossReduction(options.reduction, op);
  const classes = classCount(logProbs, op, 'input');
  checkClassWeight(weight, classes, op);
  checkClassTarget(logProbs, target, classes, ignoreIndex, op);
  return perBatch(logProbs, target, reduction, (x, t) =>
    classIndexLoss(x, t, weight, ignoreIndex, 0, reduction),
  );
}

/**
 * Cross-entropy of unnormalised `logits` [N, C, d1, ...] (or [C]) against a target that is
 * either class indices (an integer tensor [N, d1, ...], or []) or class probabilities (a float
 * tensor of the logits' shape), as `F.cross_entropy`: −Σ_c w[c]·t[c]·log softmax(logits)[c] per
 * sample, with the target smoothed to (1 − ε)·t + ε/C by `labelSmoothing`.
 *
 * With class indices, 'mean' divides by the summed weights of the counted (not ignored) targets,
 * for the smoothing term too; with probabilities it divides by the number of samples, and
 * ignoreIndex does not apply. Shape: [] (mean, sum) or [N, d1, ...] (none).
 *
 * @example crossEntropy(logits, labels, { labelSmoothing: 0.1 }) // [N, C], int32 [N] → []
 */
export function crossEntropy(
  logits: Tensor,
  target: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = 'crossEntropy';
  const { weight, ignoreIndex = -100, labelSmoothing = 0 } = options;
  const reduction = lossReduction(options.reduction, op);
  const classes = classCount(logits, op, 'logits');
  checkClassWeight(weight, classes, op);
  check(
    labelSmoothing >= 0 && labelSmoothing <= 1,
    op,
    () => `labelSmoothing must be in [0, 1], got ${labelSmoothing}`,
  );
  const classDim = logits.ndim === 1 ? 0 : 1;
  if (isFloat(target.dtype)) {
    check(
      sameShape(target.shape, logits.shape),
      op,
      () =>
        `a floating-point target holds class probabilities and must have the logits' shape ${fmt(logits.shape)}, got ${fmt(target.shape)} (for class indices convert it with .int())`,
    );
    check(
      ignoreIndex === -100,
      op,
      () => `ignoreIndex (${ignoreIndex}) applies only to class-index targets, not probabilities`,
    );
    return perBatch(logits, target, reduction, (x, t) =>
      probabilityLoss(logSoftmax(x, 1), t, weight, labelSmoothing, reduction),
    );
  }
  check(
    !sameShape(target.shape, logits.shape),
    op,
    () =>
      `target has the logits' shape ${fmt(logits.shape)} but is ${target.dtype}: class probabilities must be floating-point (convert with .float()); class indices have shape without dim ${classDim}`,
  );
  checkClassTarget(logits, target, classes, ignoreIndex, op);
  return perBatch(logits, target, reduction, (x, t) =>
    classIndexLoss(logSoftmax(x, 1), t, weight, ignoreIndex, labelSmoothing, reduction),
  );
}
