/** Elementwise arithmetic, comparisons and math functions, with ONNX's numpy broadcasting. */
import { isFloat } from '../../backend/dtype.js';
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOp, OnnxOpTable } from '../node-context.js';

/** An operator that applies a fovea function of one tensor. */
const unary =
  (fn: (x: Tensor) => Tensor): OnnxOp =>
  (ctx) =>
    fn(ctx.input(0));

/** An operator that applies a fovea function of two tensors; the result keeps A's dtype. */
const binary =
  (fn: (a: Tensor, b: Tensor) => Tensor): OnnxOp =>
  (ctx) => {
    const a = ctx.input(0);
    return ops.cast(fn(a, ctx.input(1)), a.dtype);
  };

/** A variadic operator (Sum, Max, Min) folding its inputs with a binary function. */
const variadic =
  (fn: (a: Tensor, b: Tensor) => Tensor): OnnxOp =>
  (ctx) =>
    presentInputs(ctx).reduce((acc, t) => fn(acc, t));

function presentInputs(ctx: NodeContext): Tensor[] {
  const inputs = ctx.inputs.filter((t): t is Tensor => t !== undefined);
  ctx.check(inputs.length > 0, () => 'needs at least one input');
  return inputs;
}

/** Integer division truncates toward zero, as ONNX's Div on integers. */
function divide(a: Tensor, b: Tensor): Tensor {
  if (isFloat(a.dtype) || isFloat(b.dtype)) return ops.div(a, b);
  return ops.cast(ops.div(ops.cast(a, 'float64'), ops.cast(b, 'float64')), a.dtype);
}

/** Pow with an integer result rounded (float pow of integers may land just below). */
function power(a: Tensor, b: Tensor): Tensor {
  const out = ops.pow(ops.cast(a, isFloat(a.dtype) ? a.dtype : 'float64'), b);
  return isFloat(a.dtype) ? out : ops.round(out);
}

const asBool = (t: Tensor): Tensor => ops.ne(t, 0);

/** Arithmetic, comparison, logic and math operators. */
export const elementwiseOps: OnnxOpTable = {
  Add: binary(ops.add),
  Sub: binary(ops.sub),
  Mul: binary(ops.mul),
  Div: binary(divide),
  Pow: binary(power),
  Sum: variadic(ops.add),
  Max: variadic(ops.maximum),
  Min: variadic(ops.minimum),
  Mean: (ctx) => {
    const inputs = presentInputs(ctx);
    return ops.div(
      inputs.reduce((acc, t) => ops.add(acc, t)),
      inputs.length,
    );
  },
  Equal: (ctx) => ops.eq(ctx.input(0), ctx.input(1)),
  Less: (ctx) => ops.lt(ctx.input(0), ctx.input(1)),
  Greater: (ctx) => ops.gt(ctx.input(0), ctx.input(1)),
  LessOrEqual: (ctx) => ops.le(ctx.input(0), ctx.input(1)),
  GreaterOrEqual: (ctx) => ops.ge(ctx.input(0), ctx.input(1)),
  Not: unary((x) => ops.eq(x, 0)),
  And: (ctx) => ops.mul(asBool(ctx.input(0)), asBool(ctx.input(1))),
  Or: (ctx) => asBool(ops.add(asBool(ctx.input(0)), asBool(ctx.input(1)))),
  Where: (ctx) => ops.where(asBool(ctx.input(0)), ctx.input(1), ctx.input(2)),
  Abs: unary(ops.abs),
  Neg: unary(ops.neg),
  Exp: unary(ops.exp),
  Log: unary(ops.log),
  Sqrt: unary(ops.sqrt),
  Reciprocal: unary(ops.reciprocal),
  Floor: unary(ops.floor),
  Ceil: unary(ops.ceil),
  Round: unary(ops.round),
  Sign: unary(ops.sign),
  Sin: unary(ops.sin),
  Cos: unary(ops.cos),
  Erf: unary(ops.erf),
  Identity: unary((x) => x),
};
