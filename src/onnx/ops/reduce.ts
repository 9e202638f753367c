/** Reductions (ReduceSum, ReduceMean, ...) and ArgMax/ArgMin, with ONNX's axes and keepdims. */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOp, OnnxOpTable } from '../node-context.js';
import { axisOf, takeAlong } from './util.js';

type Reducer = (x: Tensor, axes: number[], keepdim: boolean) => Tensor;

/**
 * A Reduce* operator: axes are an input from `axesInputSince` (13 for ReduceSum, 18 for the
 * others), an attribute before; no axes reduces everything, unless noop_with_empty_axes.
 */
const reduction =
  (reduce: Reducer, axesInputSince = 18): OnnxOp =>
  (ctx) => {
    const x = ctx.input(0);
    const given = ctx.opset >= axesInputSince ? ctx.values(1) : ctx.ints('axes');
    if ((given ?? []).length === 0 && ctx.int('noop_with_empty_axes', 0) === 1) return x;
    const axes = given?.length
      ? given.map((a) => axisOf(ctx, a, x.ndim))
      : x.shape.map((_, i) => i);
    return reduce(x, axes, ctx.int('keepdims', 1) === 1);
  };

const sumSquare: Reducer = (x, axes, keep) => ops.sum(ops.mul(x, x), axes, keep);

/** ArgMax / ArgMin along `axis`; select_last_index picks the last of equal extremes. */
const argReduction =
  (arg: (x: Tensor, dim: number, keepdim: boolean) => Tensor): OnnxOp =>
  (ctx: NodeContext) => {
    const x = ctx.input(0);
    const axis = axisOf(ctx, ctx.int('axis', 0), x.ndim);
    const keep = ctx.int('keepdims', 1) === 1;
    if (ctx.int('select_last_index', 0) === 0) return arg(x, axis, keep);
    const n = x.shape[axis];
    const reversed = takeAlong(
      x,
      axis,
      Array.from({ length: n }, (_, i) => n - 1 - i),
      'ArgMax',
    );
    return ops.sub(n - 1, arg(reversed, axis, keep));
  };

/** Reduction operators. */
export const reduceOps: OnnxOpTable = {
  ReduceSum: reduction(ops.sum, 13),
  ReduceMean: reduction(ops.mean),
  ReduceMax: reduction(ops.max),
  ReduceMin: reduction(ops.min),
  ReduceSumSquare: reduction(sumSquare),
  ReduceL1: reduction((x, axes, keep) => ops.sum(ops.abs(x), axes, keep)),
  ReduceL2: reduction((x, axes, keep) => ops.sqrt(sumSquare(x, axes, keep))),
  ReduceLogSum: reduction((x, axes, keep) => ops.log(ops.sum(x, axes, keep))),
  ReduceLogSumExp: reduction(ops.logsumexp),
  ArgMax: argReduction(ops.argmax),
  ArgMin: argReduction(ops.argmin),
};
