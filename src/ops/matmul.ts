import { promoteTypes } from '../backend/dtype.js';
import type { FusedActivation } from '../backend/fused-activation.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import { broadcastShapes, numel, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { expand } from './permute.js';
import { reshape, squeeze } from './reshape.js';
import { sumTo } from './sum-to.js';
import { activationGate } from './fused-activation.js';
import { checkFloat, uninitialized } from './util.js';
import { traced } from './trace.js';

/** What the kernel applies to the product as it writes it: a bias per column, then an activation. */
interface Epilogue {
  bias?: Tensor | null;
  activation?: FusedActivation;
}

/**
 * The product of the last two dims, reading transposed operands in place: a is [..., m, k]
 * ([..., k, m] if transA), b is [..., k, n] ([..., n, k] if transB); batch dims broadcast.
 */
function batchedProduct(
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
  { bias, activation }: Epilogue = {},
): Tensor {
  const last2 = (t: Tensor, trans: boolean) => {
    const [r, c] = [t.shape[t.ndim - 2], t.shape[t.ndim - 1]];
    return trans ? [c, r] : [r, c];
  };
  const [m, k] = last2(a, transA);
  const [k2, n] = last2(b, transB);
  check(
    k === k2,
    'matmul',
    () => `inner dimensions differ: ${fmt(a.shape)} @ ${fmt(b.shape)} (${k} vs ${k2})`,
  );
  const batchShape = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
  // A batch-of-one operand is reused (stride 0); a smaller batch is expanded to the full one.
  const operand = (t: Tensor) => {
    const tBatch = t.shape.slice(0, -2);
    if (numel(tBatch) === 1) return { data: t.data, offset: 0, batchStride: 0 };
    const full = sameShape(tBatch, batchShape)
      ? t
      : expand(t, [...batchShape, ...t.shape.slice(-2)]);
    return { data: full.data, offset: 0, batchStride: t.shape[t.ndim - 2] * t.shape[t.ndim - 1] };
  };
  const out = uninitialized([...batchShape, m, n], a.dtype);
  getBackend().matmul({
    batch: numel(batchShape),
    m,
    n,
    k,
    a: operand(a),
    b: operand(b),
    out: { data: out.data, offset: 0, batchStride: m * n },
    transA,
    transB,
    accumulate: false,
    bias: bias?.data,
    activation,
  });
  return out;
}

/** Differentiable batched product of operands with at least 2 dims. */
function product(a: Tensor, b: Tensor): Tensor {
  const out = batchedProduct(a, b, false, false);
  return record('matmul', out, [a, b], (g) => [
    a.requiresGrad ? sumTo(batchedProduct(g, b, false, true), a.shape) : null,
    b.requiresGrad ? sumTo(batchedProduct(a, g, true, false), b.shape) : null,
  ]);
}

/**
 * linear's product: x·wᵀ for x [m, k] and w [n, k] → [m, n], reading w in place rather than
 * copying its transpose, with the bias [n] added to each row and the activation applied as the
 * kernel writes the result. Differentiable: with g' the gradient through the activation,
 * dx = g'·w, dw = g'ᵀ·x (both without copies), dbias = g' summed over rows. Not traced.
 */
export function linearProduct(
  x: Tensor,
  w: Tensor,
  bias?: Tensor | null,
  activation?: FusedActivation,
): Tensor {
  const y = batchedProduct(x, w, false, true, { bias, activation });
  return record('linear', y, bias ? [x, w, bias] : [x, w], (g) => {
    const gated = activation ? activationGate(g, y, activation) : g;
    return [
      x.requiresGrad ? batchedProduct(gated, w, false, false) : null,
      w.requiresGrad ? batchedProduct(gated, x, true, false) : null,
      bias?.requiresGrad ? sumTo(gated, bias.shape) : null,
    ];
  });
}

/**
 * Matrix product with PyTorch's rules: 1-D operands are treated as a row/column vector (and that
 * dim removed after), leading batch dims broadcast.
 * Shape: [...broadcast(batchA, batchB), m, n] for a [..., m, k] and b [..., k, n].
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkFloat(a, 'matmul', 'first operand');
  checkFloat(b, 'matmul', 'second operand');
  check(
    a.ndim >= 1 && b.ndim >= 1,
    'matmul',
    () => `both operands need at least 1 dimension, got ${fmt(a.shape)} and ${fmt(b.shape)}`,
  );
  const dtype = promoteTypes(a.dtype, b.dtype);
  const a2 = a.ndim === 1 ? reshape(cast(a, dtype), [1, a.size]) : cast(a, dtype);
  const b2 = b.ndim === 1 ? reshape(cast(b, dtype), [b.size, 1]) : cast(b, dtype);
  let out = product(a2, b2);
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return traced('matmul', out, [a, b]);
}

/** Batched product of two 3-D tensors, as `torch.bmm`. Shape: [B, m, k] @ [B, k, n] → [B, m, n]. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  check(
    a.ndim === 3 && b.ndim === 3 && a.shape[0] === b.shape[0],
    'bmm',
    () => `expected [B,m,k] and [B,k,n] with the same B, got ${fmt(a.shape)} and ${fmt(b.shape)}`,
  );
  return matmul(a, b);
}
