import { promoteTypes } from '../backend/dtype.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { broadcastShapes, broadcastStrides } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { broadcastBinary, operands } from './arithmetic.js';
import { cast } from './cast.js';
import { sumTo } from './sum-to.js';
import { empty, scalar, view, type TensorLike } from './util.js';
import { traced } from './trace.js';

/** a == b elementwise, as uint8 0/1 (no gradient). Shape: broadcast(a, b). */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return broadcastBinary('eq', a, b, 'eq');
}

/** a != b elementwise, as uint8 0/1. Shape: broadcast(a, b). */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return broadcastBinary('ne', a, b, 'ne');
}

/** a < b elementwise, as uint8 0/1. Shape: broadcast(a, b). */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return broadcastBinary('lt', a, b, 'lt');
}

/** a ≤ b elementwise, as uint8 0/1. Shape: broadcast(a, b). */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return broadcastBinary('le', a, b, 'le');
}

/** a > b elementwise, as uint8 0/1. Shape: broadcast(a, b). */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return broadcastBinary('gt', a, b, 'gt');
}

/** a ≥ b elementwise, as uint8 0/1. Shape: broadcast(a, b). */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return broadcastBinary('ge', a, b, 'ge');
}

/**
 * cond ? a : b elementwise, broadcasting all three (`torch.where`); gradients flow to the chosen
 * side. Shape: broadcast(cond, a, b).
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] =
    a instanceof Tensor || b instanceof Tensor
      ? operands(a, b, 'where')
      : [scalar(a, 'float32'), scalar(b, 'float32')];
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  const [ca, cb] = [cast(ta, dtype), cast(tb, dtype)];
  const out = empty(shape, dtype);
  getBackend().where(
    view(cond, broadcastStrides(cond.shape, shape)),
    view(ca, broadcastStrides(ca.shape, shape)),
    view(cb, broadcastStrides(cb.shape, shape)),
    out.data,
    shape,
  );
  const result = record('where', out, [ta, tb], (g) => [
    ta.requiresGrad ? sumTo(where(cond, g, 0), ta.shape) : null,
    tb.requiresGrad ? sumTo(where(cond, 0, g), tb.shape) : null,
  ]);
  return traced('where', result, [cond, ta, tb]);
}
