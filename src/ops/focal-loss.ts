import { check, fmt } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, pow, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { ne, where } from './compare.js';
import { checkClassIndexTarget } from './class-target.js';
import { gather } from './gather.js';
import { binaryCrossEntropyWithLogits } from './loss.js';
import { applyReduction, lossReduction, type Reduction } from './loss-reduction.js';
import { sum } from './reduce.js';
import { reshape, squeeze, unsqueeze } from './reshape.js';
import { logSoftmax } from './softmax.js';
import { expm1, neg, sigmoid } from './unary.js';
import { checkFloat } from './util.js';

/** (1 − p_t)^γ, the focal modulating factor; γ = 0 gives no factor (pow's gradient at 0⁰ is 0·∞). */
function modulated(loss: Tensor, oneMinusPt: Tensor, gamma: number): Tensor {
  return gamma === 0 ? loss : mul(loss, pow(oneMinusPt, gamma));
}

function checkGamma(gamma: number, op: string): void {
  check(gamma >= 0, op, () => `gamma must not be negative, got ${gamma}`);
}

/** Options of `sigmoidFocalLoss`. */
export interface SigmoidFocalLossOptions {
  /** Weight of the positive class, 1 − alpha that of the negative (default 0.25); negative: none. */
  alpha?: number;
  /** Focusing exponent γ ≥ 0: easy examples are down-weighted by (1 − p_t)^γ (default 2). */
  gamma?: number;
  /** 'none' (per element), 'mean' or 'sum'. Default 'none', as torchvision. */
  reduction?: Reduction;
}

/**
 * The binary focal loss of RetinaNet, as `torchvision.ops.sigmoid_focal_loss`: with p = σ(x),
 * p_t = p·t + (1 − p)(1 − t) and α_t = α·t + (1 − α)(1 − t),
 * loss = α_t · (1 − p_t)^γ · BCEWithLogits(x, t) elementwise, where BCEWithLogits = −ln p_t for
 * hard targets. A negative alpha turns the α_t weighting off (torchvision's alpha = −1). Targets
 * are 0/1 labels (or soft labels in [0, 1]) of the logits' shape; each element is an independent
 * binary problem. Note torchvision's default reduction is 'none'.
 * Shape: the logits' shape (none) or [] (mean, sum).
 *
 * @example sigmoidFocalLoss(logits, labels.float(), { reduction: 'sum' }) // detection heads
 */
export function sigmoidFocalLoss(
  logits: Tensor,
  targets: Tensor,
  options: SigmoidFocalLossOptions = {},
): Tensor {
  const op = 'sigmoidFocalLoss';
  const { alpha = 0.25, gamma = 2 } = options;
  const reduction = lossReduction(options.reduction ?? 'none', op);
  checkFloat(logits, op, 'logits');
  checkFloat(targets, op, 'targets');
  check(
    sameShape(logits.shape, targets.shape),
    op,
    () => `targets shape ${fmt(targets.shape)} must equal logits shape ${fmt(logits.shape)}`,
  );
  checkGamma(gamma, op);
  check(alpha <= 1, op, () => `alpha must be in [0, 1] (or negative for none), got ${alpha}`);
  const p = sigmoid(logits);
  const ce = binaryCrossEntropyWithLogits(logits, targets, { reduction: 'none' });
  const pt = add(mul(p, targets), mul(sub(1, p), sub(1, targets)));
  let loss = modulated(ce, sub(1, pt), gamma);
  if (alpha >= 0) loss = mul(loss, add(mul(targets, 2 * alpha - 1), 1 - alpha));
  return applyReduction(loss, reduction);
}

/** Options of `focalLoss`. */
export interface FocalLossOptions {
  /** Focusing exponent γ ≥ 0 (default 2); 0 gives the cross-entropy. */
  gamma?: number;
  /** One weight α_c per class (1-D, C entries); each sample's loss is scaled by its target's. */
  alpha?: Tensor;
  /** Samples whose target is this class index count for nothing, not even in the mean (−100). */
  ignoreIndex?: number;
  /** 'mean' (default) over the counted samples, 'sum', or 'none' for one loss per sample. */
  reduction?: Reduction;
}

/**
 * The multi-class (softmax) focal loss of logits [N, C, d1, ...] against class indices
 * [N, d1, ...]: with p_t = softmax(logits)[target] per sample,
 * loss = −α_t · (1 − p_t)^γ · ln p_t. Easy samples (p_t near 1) are down-weighted; γ = 0 without
 * alpha is `crossEntropy`. 'mean' divides by the number of counted (not ignored) samples — not by
 * Σα_t as crossEntropy's weighted mean does: α only rebalances. Ignored samples give 0.
 * Shape: [] (mean, sum) or [N, d1, ...] (none).
 *
 * @example focalLoss(logits, labels, { gamma: 2, alpha: tensor([0.25, 0.75]) }) // [N, 2], [N] → []
 */
export function focalLoss(logits: Tensor, target: Tensor, options: FocalLossOptions = {}): Tensor {
  const op = 'focalLoss';
  const { gamma = 2, alpha, ignoreIndex = -100 } = options;
  const reduction = lossReduction(options.reduction, op);
  const classes = checkClassIndexTarget(logits, target, ignoreIndex, op);
  checkGamma(gamma, op);
  if (alpha) {
    checkFloat(alpha, op, 'alpha');
    check(
      alpha.ndim === 1 && alpha.size === classes,
      op,
      () => `alpha must be a 1-D tensor of ${classes} class weights, got shape ${fmt(alpha.shape)}`,
    );
  }
  const indices = cast(target, 'int32');
  const counted = ne(indices, ignoreIndex);
  // Ignored samples read class 0 (any valid index) and are then masked out.
  const safe = where(counted, indices, 0);
  const logPt = squeeze(gather(logSoftmax(logits, 1), 1, unsqueeze(safe, 1)), 1);
  // 1 − p_t as −expm1(ln p_t): exact when p_t is near 1, where the factor matters most.
  let loss = modulated(neg(logPt), neg(expm1(logPt)), gamma);
  if (alpha) loss = mul(loss, reshape(gather(alpha, 0, reshape(safe, [-1])), safe.shape));
  loss = where(counted, loss, 0);
  if (reduction !== 'mean') return applyReduction(loss, reduction);
  return div(sum(loss), sum(cast(counted, loss.dtype)));
}
