import { record } from '../autograd/node.js';
import { check, fmt } from '../tensor/errors.js';
import { broadcastShapes, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, pow, sub } from './arithmetic.js';
import { eq, where } from './compare.js';
import { expand } from './permute.js';
import { max, sum } from './reduce.js';
import { squeeze, unsqueeze } from './reshape.js';
import { abs, clamp, sign } from './unary.js';
import { checkFloat } from './util.js';

/**
 * ‖x‖_p = (Σ|x|^p)^(1/p) along `dim` (p > 0, or Infinity for max |x|), with PyTorch's gradient
 * g·sign(x)·(|x|/‖x‖)^(p−1), which is 0 where the norm is 0: the chain rule through the power
 * would give 0·∞ there. The ∞-norm is max |x|, whose gradient splits ties equally as PyTorch's.
 */
function vectorNorm(x: Tensor, p: number, dim: number, keepdim: boolean): Tensor {
  if (p === Infinity) return max(abs(x), dim, keepdim);
  const value = x.detach();
  const norm = pow(sum(pow(abs(value), p), dim, true), 1 / p);
  const out = keepdim ? norm : squeeze(norm, dim);
  return record('vectorNorm', out, [x], (g) => {
    const scale = mul(sign(value), pow(div(abs(value), norm), p - 1));
    const gk = keepdim ? g : unsqueeze(g, dim);
    return [where(eq(norm, 0), 0, mul(gk, scale))];
  });
}

/** Checks two float operands that broadcast together, with at least one dim; returns the shape. */
function checkOperands(x1: Tensor, x2: Tensor, op: string): number[] {
  checkFloat(x1, op, 'x1');
  checkFloat(x2, op, 'x2');
  check(
    x1.ndim >= 1 && x2.ndim >= 1,
    op,
    () =>
      `x1 and x2 need at least one dim (vectors), got shapes ${fmt(x1.shape)} and ${fmt(x2.shape)}`,
  );
  return broadcastShapes(x1.shape, x2.shape, op);
}

/** Checks a norm degree: positive, Infinity allowed. */
export function checkNormDegree(p: number, op: string): void {
  check(p > 0, op, () => `p (the norm degree) must be positive or Infinity, got ${p}`);
}

/** Options of `pairwiseDistance`. */
export interface PairwiseDistanceOptions {
  /** The norm degree (default 2); Infinity gives the largest |difference|. */
  p?: number;
  /** Added to every difference, so the norm is never exactly 0 (default 1e-6). */
  eps?: number;
  /** Keep the last dim as size 1 (default false). */
  keepdim?: boolean;
}

/**
 * The p-norm distance between the rows (last dim) of x1 and x2, as `F.pairwise_distance`:
 * ‖x1 − x2 + eps‖_p = (Σ_d |x1_d − x2_d + eps|^p)^(1/p). x1 and x2 broadcast.
 * Shape: broadcast(x1, x2) without its last dim (kept as 1 with keepdim).
 *
 * @example pairwiseDistance(anchors, positives) // [N, D], [N, D] → [N]
 */
export function pairwiseDistance(
  x1: Tensor,
  x2: Tensor,
  options: PairwiseDistanceOptions = {},
): Tensor {
  const op = 'pairwiseDistance';
  const { p = 2, eps = 1e-6, keepdim = false } = options;
  const shape = checkOperands(x1, x2, op);
  checkNormDegree(p, op);
  return vectorNorm(add(sub(x1, x2), eps), p, shape.length - 1, keepdim);
}

/** Options of `cosineSimilarity`. */
export interface CosineSimilarityOptions {
  /** The dim holding the vectors (default 1, as PyTorch). */
  dim?: number;
  /** Norms below eps count as eps, so a zero vector gives 0, not NaN (default 1e-8). */
  eps?: number;
}

/**
 * The cosine of the angle between x1 and x2 along `dim`, as `F.cosine_similarity` (PyTorch 1.13):
 * Σ_dim (x1 / max(‖x1‖₂, eps)) · (x2 / max(‖x2‖₂, eps)), each vector normalised first. x1 and x2
 * broadcast, and the norms are taken after broadcasting. Shape: broadcast(x1, x2) without `dim`.
 *
 * @example cosineSimilarity(embeddings, reference) // [N, D], [1, D] → [N]
 */
export function cosineSimilarity(
  x1: Tensor,
  x2: Tensor,
  options: CosineSimilarityOptions = {},
): Tensor {
  const op = 'cosineSimilarity';
  const { dim = 1, eps = 1e-8 } = options;
  const shape = checkOperands(x1, x2, op);
  const axis = normalizeAxis(dim, shape.length, op);
  const unit = (x: Tensor) => {
    const full = expand(x, shape);
    return div(full, clamp(vectorNorm(full, 2, axis, true), eps));
  };
  return sum(mul(unit(x1), unit(x2)), axis);
}
