import type { BinaryOp } from '../backend/backend.js';
import { promoteTypes } from '../backend/dtype.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { FoveaError } from '../tensor/errors.js';
import { broadcastShapes, broadcastStrides } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { where } from './compare.js';
import { sumTo } from './sum-to.js';
import { log, neg } from './unary.js';
import { type TensorLike, toTensor, uninitialized, view } from './util.js';
import { traced } from './trace.js';

const comparisons: ReadonlySet<BinaryOp> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/**
 * Runs a broadcasting binary kernel, outside the graph. Comparisons give uint8 (0/1); arithmetic
 * gives the promoted dtype of the operands.
 */
export function broadcastBinary(op: BinaryOp, a: TensorLike, b: TensorLike, name: string): Tensor {
  const [ta, tb] = operands(a, b, name);
  const shape = broadcastShapes(ta.shape, tb.shape, name);
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  const [ca, cb] = [cast(ta, dtype), cast(tb, dtype)];
  const out = uninitialized(shape, comparisons.has(op) ? 'uint8' : dtype);
  getBackend().binary(
    op,
    view(ca, broadcastStrides(ca.shape, shape)),
    view(cb, broadcastStrides(cb.shape, shape)),
    out.data,
    shape,
  );
  return traced(op, out, [ta, tb]);
}

/** Both operands as tensors; a number takes the other operand's dtype. */
export function operands(a: TensorLike, b: TensorLike, name: string): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, toTensor(b, a)];
  if (b instanceof Tensor) return [toTensor(a, b), b];
  throw new FoveaError(name, 'at least one operand must be a tensor, got two numbers');
}

/** Records a broadcasting binary op whose rule gives unreduced gradients for a and b. */
function recordBinary(
  name: string,
  a: TensorLike,
  b: TensorLike,
  rule: (g: Tensor, ta: Tensor, tb: Tensor, out: Tensor) => [Tensor, Tensor],
  op: BinaryOp = name as BinaryOp,
): Tensor {
  const out = broadcastBinary(op, a, b, name);
  const [ta, tb] = operands(a, b, name);
  return record(name, out, [ta, tb], (g) => {
    const [ga, gb] = rule(g, ta, tb, out.detach());
    return [
      ta.requiresGrad ? sumTo(ga, ta.shape) : null,
      tb.requiresGrad ? sumTo(gb, tb.shape) : null,
    ];
  });
}

/** a + b, broadcasting (`x.add(1)`). Shape: broadcast(a, b). */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return recordBinary('add', a, b, (g) => [g, g]);
}

/** a − b, broadcasting. Shape: broadcast(a, b). */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return recordBinary('sub', a, b, (g) => [g, neg(g)]);
}

/** a · b elementwise, broadcasting. Shape: broadcast(a, b). */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return recordBinary('mul', a, b, (g, ta, tb) => [mul(g, tb), mul(g, ta)]);
}

/** a / b elementwise, broadcasting. Shape: broadcast(a, b). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return recordBinary('div', a, b, (g, ta, tb, out) => [div(g, tb), neg(div(mul(g, out), tb))]);
}

/**
 * a to the power b, broadcasting. The gradient for b is g·aᵇ·ln a, taken as 0 where a = 0 and
 * b ≥ 0, as in PyTorch. Shape: broadcast(a, b).
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return recordBinary('pow', a, b, (g, ta, tb, out) => {
    const ga = mul(g, mul(tb, pow(ta, sub(tb, 1))));
    const logDefined = maximum(
      broadcastBinary('ne', ta, 0, 'pow'),
      broadcastBinary('lt', tb, 0, 'pow'),
    );
    return [ga, mul(g, mul(out, where(logDefined, log(ta), 0)))];
  });
}

/** Share of the gradient the first operand of max/min gets: 1 where it wins, ½ on ties. */
function winnerShare(ta: Tensor, tb: Tensor, op: 'gt' | 'lt'): Tensor {
  return add(
    broadcastBinary(op, ta, tb, 'maximum'),
    mul(broadcastBinary('eq', ta, tb, 'maximum'), 0.5),
  );
}

/** Elementwise maximum (NaN wins); ties split the gradient equally. Shape: broadcast(a, b). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return recordBinary('maximum', a, b, (g, ta, tb) => {
    const share = winnerShare(ta, tb, 'gt');
    return [mul(g, share), mul(g, sub(1, share))];
  });
}

/** Elementwise minimum (NaN wins); ties split the gradient equally. Shape: broadcast(a, b). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return recordBinary('minimum', a, b, (g, ta, tb) => {
    const share = winnerShare(ta, tb, 'lt');
    return [mul(g, share), mul(g, sub(1, share))];
  });
}
