import type { UnaryOp } from '../backend/backend.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, broadcastBinary, div, mul, sub } from './arithmetic.js';
import { where } from './compare.js';
import { checkFloat, uninitialized } from './util.js';
import { traced } from './trace.js';

/** Runs an elementwise kernel and records `rule(g, x, out)` as its backward. */
function unaryOp(
  op: Exclude<UnaryOp, 'copy'>,
  x: Tensor,
  rule: ((g: Tensor, x: Tensor, out: Tensor) => Tensor) | null,
): Tensor {
  if (rule !== null) checkFloat(x, op);
  const out = uninitialized(x.shape, x.dtype);
  getBackend().unary(op, x.data, out.data);
  if (rule !== null) record(op, out, [x], (g) => [rule(g, x, out.detach())]);
  return traced(op, out, [x]);
}

/** −x. Shape: unchanged. */
export function neg(x: Tensor): Tensor {
  return record('neg', unaryOp('neg', x, null), [x], (g) => [neg(g)]);
}

/** |x|; the gradient at 0 is 0. Shape: unchanged. */
export function abs(x: Tensor): Tensor {
  return unaryOp('abs', x, (g, x) => mul(g, sign(x)));
}

/** −1, 0 or 1 by the sign of x (no gradient). Shape: unchanged. */
export function sign(x: Tensor): Tensor {
  return unaryOp('sign', x, null);
}

/** eˣ. Shape: unchanged. */
export function exp(x: Tensor): Tensor {
  return unaryOp('exp', x, (g, _x, out) => mul(g, out));
}

/** eˣ − 1, accurate near 0. Shape: unchanged. */
export function expm1(x: Tensor): Tensor {
  return unaryOp('expm1', x, (g, _x, out) => mul(g, add(out, 1)));
}

/** Natural logarithm. Shape: unchanged. */
export function log(x: Tensor): Tensor {
  return unaryOp('log', x, (g, x) => div(g, x));
}

/** ln(1 + x), accurate near 0. Shape: unchanged. */
export function log1p(x: Tensor): Tensor {
  return unaryOp('log1p', x, (g, x) => div(g, add(x, 1)));
}

/** √x. Shape: unchanged. */
export function sqrt(x: Tensor): Tensor {
  return unaryOp('sqrt', x, (g, _x, out) => div(g, mul(out, 2)));
}

/** 1 / x. Shape: unchanged. */
export function reciprocal(x: Tensor): Tensor {
  return unaryOp('reciprocal', x, (g, _x, out) => mul(g, mul(mul(out, out), -1)));
}

/** sin x. Shape: unchanged. */
export function sin(x: Tensor): Tensor {
  return unaryOp('sin', x, (g, x) => mul(g, cos(x)));
}

/** cos x. Shape: unchanged. */
export function cos(x: Tensor): Tensor {
  return unaryOp('cos', x, (g, x) => mul(g, mul(sin(x), -1)));
}

/** tanh x. Shape: unchanged. */
export function tanh(x: Tensor): Tensor {
  return unaryOp('tanh', x, (g, _x, out) => mul(g, sub(1, mul(out, out))));
}

/** 1 / (1 + e⁻ˣ). Shape: unchanged. */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp('sigmoid', x, (g, _x, out) => mul(g, mul(out, sub(1, out))));
}

/** The error function. Shape: unchanged. */
export function erf(x: Tensor): Tensor {
  return unaryOp('erf', x, (g, x) => mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))));
}

/** Rounds down (no gradient). Shape: unchanged. */
export function floor(x: Tensor): Tensor {
  return unaryOp('floor', x, null);
}

/** Rounds up (no gradient). Shape: unchanged. */
export function ceil(x: Tensor): Tensor {
  return unaryOp('ceil', x, null);
}

/** Rounds half to even (no gradient). Shape: unchanged. */
export function round(x: Tensor): Tensor {
  return unaryOp('round', x, null);
}

/** x². Shape: unchanged. */
export function square(x: Tensor): Tensor {
  return mul(x, x);
}

/**
 * Clamps into [min, max] (either bound may be omitted), as `torch.clamp`; the gradient passes
 * where min ≤ x ≤ max. Shape: unchanged.
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  let out = x;
  if (min !== undefined) out = where(broadcastBinary('lt', x, min, 'clamp'), min, out);
  if (max !== undefined) out = where(broadcastBinary('gt', x, max, 'clamp'), max, out);
  return traced('clamp', out, [x], { min, max });
}
