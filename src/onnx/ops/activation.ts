/** Activation operators, each mapped to fovea's function with ONNX's attribute defaults. */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { axisOf } from './util.js';

/** PRelu and friends: x where x ≥ 0, else slope·x (slope broadcasts to x). */
function negativeSlope(x: Tensor, slope: Tensor | number): Tensor {
  return ops.where(ops.lt(x, 0), ops.mul(x, slope), x);
}

/**
 * Softmax-like over `axis`: opset 13 normalises along that one axis (default −1); earlier
 * opsets flatten x to 2-D at `axis` (default 1) and normalise each row.
 */
function alongAxis(fn: (x: Tensor, dim: number) => Tensor) {
  return (ctx: NodeContext): Tensor => {
    const x = ctx.input(0);
    if (ctx.opset >= 13) return fn(x, axisOf(ctx, ctx.int('axis', -1), x.ndim));
    const axis = axisOf(ctx, ctx.int('axis', 1), x.ndim);
    const rows = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    return ops.reshape(fn(ops.reshape(x, [rows, -1]), 1), x.shape);
  };
}

/** Clip's bounds: attributes before opset 11, optional inputs from 11 on. */
function clip(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const [min, max] =
    ctx.opset < 11
      ? [ctx.float('min', -Infinity), ctx.float('max', Infinity)]
      : [ctx.values(1)?.[0] ?? -Infinity, ctx.values(2)?.[0] ?? Infinity];
  return ops.clamp(x, min === -Infinity ? undefined : min, max === Infinity ? undefined : max);
}

/** Activation operators. */
export const activationOps: OnnxOpTable = {
  Relu: (ctx) => ops.relu(ctx.input(0)),
  LeakyRelu: (ctx) => negativeSlope(ctx.input(0), ctx.float('alpha', 0.01)),
  PRelu: (ctx) => {
    const [x, slope] = [ctx.input(0), ctx.input(1, 'slope')];
    // Before opset 7 a 1-D slope of C entries is per channel (dim 1), not numpy-broadcast.
    const perChannel = ctx.opset < 7 && slope.ndim === 1 && x.ndim > 2 && slope.size === x.shape[1];
    return negativeSlope(
      x,
      perChannel ? ops.reshape(slope, [-1, ...x.shape.slice(2).map(() => 1)]) : slope,
    );
  },
  ThresholdedRelu: (ctx) => {
    const x = ctx.input(0);
    return ops.where(ops.gt(x, ctx.float('alpha', 1)), x, 0);
  },
  Elu: (ctx) => ops.elu(ctx.input(0), { alpha: ctx.float('alpha', 1) }),
  Celu: (ctx) => ops.celu(ctx.input(0), { alpha: ctx.float('alpha', 1) }),
  Selu: (ctx) =>
    ops.mul(
      ops.elu(ctx.input(0), { alpha: ctx.float('alpha', 1.6732632423543772) }),
      ctx.float('gamma', 1.0507009873554805),
    ),
  Sigmoid: (ctx) => ops.sigmoid(ctx.input(0)),
  HardSigmoid: (ctx) =>
    ops.clamp(
      ops.add(ops.mul(ctx.input(0), ctx.float('alpha', 0.2)), ctx.float('beta', 0.5)),
      0,
      1,
    ),
  HardSwish: (ctx) => ops.hardswish(ctx.input(0)),
  Tanh: (ctx) => ops.tanh(ctx.input(0)),
  Softplus: (ctx) => ops.softplus(ctx.input(0)),
  Softsign: (ctx) => ops.softsign(ctx.input(0)),
  Shrink: (ctx) => {
    const x = ctx.input(0);
    const [lambd, bias] = [ctx.float('lambd', 0.5), ctx.float('bias', 0)];
    return ops.where(
      ops.lt(x, -lambd),
      ops.add(x, bias),
      ops.where(ops.gt(x, lambd), ops.sub(x, bias), 0),
    );
  },
  Clip: clip,
  Softmax: alongAxis(ops.softmax),
  LogSoftmax: alongAxis(ops.logSoftmax),
};
