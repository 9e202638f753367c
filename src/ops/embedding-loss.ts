import { check, fmt } from '../tensor/errors.js';
import { broadcastShapes, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, minimum, mul, sub } from './arithmetic.js';
import { eq, where } from './compare.js';
import { checkNormDegree, pairwiseDistance } from './distance.js';
import { applyReduction, lossReduction, type Reduction } from './loss-reduction.js';
import { sum } from './reduce.js';
import { clamp, sqrt } from './unary.js';
import { checkFloat } from './util.js';

/** Options of `tripletMarginLoss`. */
export interface TripletMarginLossOptions {
  /** How much farther the negative must be than the positive (default 1). */
  margin?: number;
  /** The norm degree of the distances (default 2); Infinity allowed. */
  p?: number;
  /** Added to every difference before the norm, as `pairwiseDistance` (default 1e-6). */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance: the "distance swap" (default false). */
  swap?: boolean;
  /** 'mean' (default), 'sum', or 'none' for one loss per triplet. */
  reduction?: Reduction;
}

/**
 * The triplet margin loss of embeddings, as `F.triplet_margin_loss`:
 * max(0, margin + d(a, p) − d(a, n)) per triplet, with d the `pairwiseDistance` along the last
 * dim (‖x − y + eps‖_p) and, with swap, d(a, n) replaced by min(d(a, n), d(p, n)).
 * anchor, positive and negative have the same number of dims ([N, D], or [D] for one triplet)
 * and broadcast. Shape: [] (mean, sum) or their broadcast shape without the last dim (none).
 *
 * @example tripletMarginLoss(anchor, positive, negative, { margin: 0.2 }) // [N, D] ×3 → []
 */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  options: TripletMarginLossOptions = {},
): Tensor {
  const op = 'tripletMarginLoss';
  const { margin = 1, p = 2, eps = 1e-6, swap = false } = options;
  const reduction = lossReduction(options.reduction, op);
  const inputs = { anchor, positive, negative };
  for (const [what, t] of Object.entries(inputs)) checkFloat(t, op, what);
  check(
    anchor.ndim >= 1 && anchor.ndim === positive.ndim && positive.ndim === negative.ndim,
    op,
    () =>
      `anchor, positive and negative must have the same number of dims ([N, D] or [D]), got shapes ${fmt(anchor.shape)}, ${fmt(positive.shape)} and ${fmt(negative.shape)}`,
  );
  broadcastShapes(broadcastShapes(anchor.shape, positive.shape, op), negative.shape, op);
  checkNormDegree(p, op);
  const distance = (x: Tensor, y: Tensor) => pairwiseDistance(x, y, { p, eps });
  const toNegative = distance(anchor, negative);
  const negativeDistance = swap ? minimum(toNegative, distance(positive, negative)) : toNegative;
  const loss = clamp(sub(add(distance(anchor, positive), margin), negativeDistance), 0);
  return applyReduction(loss, reduction);
}

/** Options of `cosineEmbeddingLoss`. */
export interface CosineEmbeddingLossOptions {
  /** Dissimilar pairs cost nothing once their cosine is at most this (default 0; −1..1 makes sense). */
  margin?: number;
  /** 'mean' (default), 'sum', or 'none' for one loss per pair. */
  reduction?: Reduction;
}

/**
 * The cosine embedding loss of pairs labelled similar (y = 1) or dissimilar (y = −1), as
 * `F.cosine_embedding_loss`: 1 − cos(x1, x2) for y = 1 and max(0, cos(x1, x2) − margin) for
 * y = −1, where cos = Σ x1·x2 / √((Σ x1² + 1e-12)(Σ x2² + 1e-12)) over the last dim.
 * x1 and x2 are [N, D] with y [N], or [D] with y []; x1 and x2 broadcast. PyTorch silently
 * gives 0 for labels other than ±1; here they are an error.
 * Shape: [] (mean, sum) or y's shape (none).
 *
 * @example cosineEmbeddingLoss(faceA, faceB, tensor([1, -1, 1]), { margin: 0.5 })
 */
export function cosineEmbeddingLoss(
  x1: Tensor,
  x2: Tensor,
  y: Tensor,
  options: CosineEmbeddingLossOptions = {},
): Tensor {
  const op = 'cosineEmbeddingLoss';
  const { margin = 0 } = options;
  const reduction = lossReduction(options.reduction, op);
  checkFloat(x1, op, 'x1');
  checkFloat(x2, op, 'x2');
  check(
    y.ndim <= 1 && x1.ndim === y.ndim + 1 && x2.ndim === y.ndim + 1,
    op,
    () =>
      `expected x1 and x2 of shape [N, D] with y [N], or [D] with y [], got ${fmt(x1.shape)}, ${fmt(x2.shape)} and y ${fmt(y.shape)}`,
  );
  const pairs = broadcastShapes(x1.shape, x2.shape, op).slice(0, -1);
  check(
    sameShape(y.shape, pairs),
    op,
    () => `y of shape ${fmt(y.shape)} must hold one label per pair: shape ${fmt(pairs)}`,
  );
  const bad = y.data.findIndex((v) => v !== 1 && v !== -1);
  check(
    bad < 0,
    op,
    () => `y must hold 1 (similar) or -1 (dissimilar), found ${y.data[bad]} at element ${bad}`,
  );
  // PyTorch's cosine, with 1e-12 under each squared magnitude (not cosineSimilarity's clamp).
  const dim = y.ndim;
  const squared = (x: Tensor) => add(sum(mul(x, x), dim), 1e-12);
  const cos = div(sum(mul(x1, x2), dim), sqrt(mul(squared(x1), squared(x2))));
  const loss = where(eq(y, 1), sub(1, cos), clamp(sub(cos, margin), 0));
  return applyReduction(loss, reduction);
}
