import { record } from '../autograd/node.js';
import { check, fmt } from '../tensor/errors.js';
import { sameShape, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { lt, where } from './compare.js';
import { logSigmoid } from './activation.js';
import { applyReduction, lossReduction, type Reduction } from './loss-reduction.js';
import { abs, clamp, log, log1p, neg } from './unary.js';
import { checkFloat } from './util.js';

export type { Reduction } from './loss-reduction.js';

/** Options of the losses that only reduce. */
export interface LossOptions {
  /** 'mean' (default), 'sum', or 'none' for the per-element loss (the input's shape). */
  reduction?: Reduction;
}

/**
 * Checks a loss's input and target: both floating-point and of one shape. Unlike PyTorch, which
 * broadcasts with a warning, a different target shape is an error: [N, 1] against [N] silently
 * compares every pair.
 */
function checkPair(input: Tensor, target: Tensor, op: string): void {
  checkFloat(input, op, 'input');
  checkFloat(target, op, 'target');
  check(
    sameShape(input.shape, target.shape),
    op,
    () => `target shape ${fmt(target.shape)} must equal input shape ${fmt(input.shape)}`,
  );
}

/** Checks that an optional per-element weight broadcasts to `shape` (the input's). */
function checkBroadcastsTo(t: Tensor | undefined, shape: Shape, op: string, what: string): void {
  if (t === undefined) return;
  checkFloat(t, op, what);
  const lead = shape.length - t.ndim;
  check(
    lead >= 0 && t.shape.every((d, i) => d === 1 || d === shape[lead + i]),
    op,
    () => `${what} of shape ${fmt(t.shape)} does not broadcast to the input shape ${fmt(shape)}`,
  );
}

/**
 * Mean squared error (x − y)², as `F.mse_loss`.
 * Shape: [] (mean, sum) or the input's shape (none).
 *
 * @example mseLoss(prediction, target, { reduction: 'sum' })
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = lossReduction(options.reduction, 'mseLoss');
  checkPair(input, target, 'mseLoss');
  const d = sub(input, target);
  return applyReduction(mul(d, d), reduction);
}

/**
 * Mean absolute error |x − y|, as `F.l1_loss`; the gradient at x = y is 0.
 * Shape: [] (mean, sum) or the input's shape (none).
 */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = lossReduction(options.reduction, 'l1Loss');
  checkPair(input, target, 'l1Loss');
  return applyReduction(abs(sub(input, target)), reduction);
}

/** ½d² where |d| < delta, delta·(|d| − ½delta) elsewhere (the Huber function, delta > 0). */
function huber(d: Tensor, delta: number): Tensor {
  const size = abs(d);
  return where(lt(size, delta), mul(mul(d, d), 0.5), mul(sub(size, 0.5 * delta), delta));
}

/** Options of `huberLoss`. */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1; must be positive). */
  delta?: number;
}

/**
 * With d = x − y: ½d² where |d| < delta, delta·(|d| − ½delta) elsewhere, as `F.huber_loss`.
 * Shape: [] (mean, sum) or the input's shape (none).
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  const { delta = 1 } = options;
  const reduction = lossReduction(options.reduction, 'huberLoss');
  checkPair(input, target, 'huberLoss');
  check(delta > 0, 'huberLoss', () => `delta must be positive, got ${delta}`);
  return applyReduction(huber(sub(input, target), delta), reduction);
}

/** Options of `smoothL1Loss`. */
export interface SmoothL1LossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/**
 * With d = x − y: ½d²/beta where |d| < beta, |d| − ½beta elsewhere, as `F.smooth_l1_loss`;
 * that is huber(d, beta) / beta, and |d| when beta = 0.
 * Shape: [] (mean, sum) or the input's shape (none).
 */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  options: SmoothL1LossOptions = {},
): Tensor {
  const { beta = 1 } = options;
  const reduction = lossReduction(options.reduction, 'smoothL1Loss');
  checkPair(input, target, 'smoothL1Loss');
  check(beta >= 0, 'smoothL1Loss', () => `beta must not be negative, got ${beta}`);
  const d = sub(input, target);
  return applyReduction(beta === 0 ? abs(d) : div(huber(d, beta), beta), reduction);
}

/**
 * −(t·ln p + (1 − t)·ln(1 − p)) elementwise, each log clamped at −100 as PyTorch does, with a
 * dedicated backward: the chain rule through the clamped logs would give 0/0 at p = 0 or 1 (a
 * saturated sigmoid), where PyTorch's (p − t) / max(p(1 − p), 1e-12) stays finite.
 */
function binaryCrossEntropyTerms(p: Tensor, t: Tensor): Tensor {
  const [pv, tv] = [p.detach(), t.detach()];
  const logP = clamp(log(pv), -100);
  const logNotP = clamp(log1p(neg(pv)), -100);
  const out = neg(add(mul(tv, logP), mul(sub(1, tv), logNotP)));
  return record('binaryCrossEntropy', out, [p, t], (g) => [
    mul(g, div(sub(pv, tv), clamp(mul(pv, sub(1, pv)), 1e-12))),
    mul(g, sub(logNotP, logP)),
  ]);
}

/** Options of `binaryCrossEntropy`. */
export interface BinaryCrossEntropyOptions extends LossOptions {
  /** Rescales each element's loss; broadcast to the input's shape. */
  weight?: Tensor;
}

/**
 * Binary cross-entropy of probabilities p in [0, 1] against targets t in [0, 1]:
 * −w·(t·ln p + (1 − t)·ln(1 − p)), each log clamped at −100, as `F.binary_cross_entropy`. The mean
 * divides by the element count, whatever the weights. For logits use
 * `binaryCrossEntropyWithLogits`, which is more accurate.
 * Shape: [] (mean, sum) or the input's shape (none).
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  options: BinaryCrossEntropyOptions = {},
): Tensor {
  const op = 'binaryCrossEntropy';
  const reduction = lossReduction(options.reduction, op);
  checkPair(input, target, op);
  checkBroadcastsTo(options.weight, input.shape, op, 'weight');
  const outside = input.data.findIndex((v) => !(v >= 0 && v <= 1));
  check(
    outside < 0,
    op,
    () =>
      `input must hold probabilities in [0, 1], found ${input.data[outside]} at element ${outside} (for logits use binaryCrossEntropyWithLogits)`,
  );
  const loss = binaryCrossEntropyTerms(input, target);
  return applyReduction(options.weight ? mul(loss, options.weight) : loss, reduction);
}

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of the positive term, usually one per class (last dim); broadcast to the input. */
  posWeight?: Tensor;
}

/**
 * Binary cross-entropy of logits x against targets t in [0, 1], as
 * `F.binary_cross_entropy_with_logits`: −w·(pw·t·ln σ(x) + (1 − t)·ln(1 − σ(x))), computed stably
 * as w·((1 − t)·x − (1 + (pw − 1)·t)·ln σ(x)). The mean divides by the element count.
 * Shape: [] (mean, sum) or the input's shape (none).
 *
 * @example binaryCrossEntropyWithLogits(logits, labels.float(), { posWeight }) // multi-label
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: BinaryCrossEntropyWithLogitsOptions = {},
): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  const { weight, posWeight } = options;
  const reduction = lossReduction(options.reduction, op);
  checkPair(input, target, op);
  checkBroadcastsTo(weight, input.shape, op, 'weight');
  checkBroadcastsTo(posWeight, input.shape, op, 'posWeight');
  const logP = logSigmoid(input);
  const positive = posWeight ? mul(logP, add(mul(sub(posWeight, 1), target), 1)) : logP;
  const loss = sub(mul(sub(1, target), input), positive);
  return applyReduction(weight ? mul(loss, weight) : loss, reduction);
}
