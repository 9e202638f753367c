/**
 * Quantization operators. Integer tensors are held as uint8 (UINT8) or int32 (INT8 and wider), so
 * a zero point's dtype says the quantized range: uint8 → [0, 255], int32 (INT8) → [−128, 127].
 * Integer arithmetic runs in float64, which holds every int32 product sum these ops produce.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { convolution } from './conv.js';
import { axisOf } from './util.js';

/** A per-tensor (scalar) or per-axis (1-D) quantization parameter, shaped to broadcast against x. */
function alongAxis(ctx: NodeContext, p: Tensor, x: Tensor, axis: number): Tensor {
  if (p.size === 1 || x.ndim === 0) return ops.reshape(p, []);
  const a = axisOf(ctx, axis, x.ndim);
  return ops.reshape(
    p,
    x.shape.map((n, i) => (i === a ? n : 1)),
  );
}

/** x − zero point, in float64 (the zero point broadcast along `axis` when per-axis). */
function centered(ctx: NodeContext, x: Tensor, zeroPoint: Tensor | undefined, axis = 1): Tensor {
  const wide = ops.cast(x, 'float64');
  return zeroPoint ? ops.sub(wide, alongAxis(ctx, ops.cast(zeroPoint, 'float64'), x, axis)) : wide;
}

/** Rounds half to even, adds the zero point and saturates to its type's range. */
function quantize(
  ctx: NodeContext,
  values: Tensor,
  zeroPoint: Tensor | undefined,
  axis: number,
): Tensor {
  const dtype = zeroPoint?.dtype ?? 'uint8';
  const [lo, hi] = dtype === 'uint8' ? [0, 255] : [-128, 127];
  const rounded = ops.round(values);
  const shifted = zeroPoint
    ? ops.add(rounded, alongAxis(ctx, ops.cast(zeroPoint, 'float64'), values, axis))
    : rounded;
  return ops.cast(ops.clamp(shifted, lo, hi), dtype);
}

/** QuantizeLinear: saturate(round(x / scale) + zero_point). */
function quantizeLinear(ctx: NodeContext): Tensor {
  const x = ops.cast(ctx.input(0), 'float64');
  const axis = ctx.int('axis', 1);
  const scale = alongAxis(ctx, ops.cast(ctx.input(1, 'y_scale'), 'float64'), x, axis);
  return quantize(ctx, ops.div(x, scale), ctx.inputs[2], axis);
}

/** DequantizeLinear: (x − zero_point) · scale, as float32. */
function dequantizeLinear(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const axis = ctx.int('axis', 1);
  const scale = alongAxis(ctx, ops.cast(ctx.input(1, 'x_scale'), 'float64'), x, axis);
  return ops.cast(ops.mul(centered(ctx, x, ctx.inputs[2], axis), scale), 'float32');
}

/** Per-output-channel weight zero points and scales broadcast along dim 0 of W. */
const weightAxis = 0;

/** The product of scales `a` and `b` (scalars or per output channel) over `outScale`, shaped [C, 1, ...]. */
function requantizeFactor(
  ctx: NodeContext,
  a: Tensor,
  b: Tensor,
  outScale: Tensor,
  y: Tensor,
  channelAxis: number,
): Tensor {
  const wide = (t: Tensor) => alongAxis(ctx, ops.cast(t, 'float64'), y, channelAxis);
  return ops.div(ops.mul(wide(a), wide(b)), wide(outScale));
}

/** QLinearConv: the integer convolution, plus bias, rescaled and requantized. */
function qlinearConv(ctx: NodeContext): Tensor {
  const [x, xScale, xZero, w, wScale, wZero, yScale, yZero] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
    ctx.input(i),
  );
  const bias = ctx.inputs[8];
  const acc = convolution(
    ctx,
    centered(ctx, x, xZero),
    centered(ctx, w, wZero, weightAxis),
    bias ? ops.cast(bias, 'float64') : undefined,
  );
  return quantize(
    ctx,
    ops.mul(acc, requantizeFactor(ctx, xScale, wScale, yScale, acc, 1)),
    yZero,
    1,
  );
}

/** QLinearMatMul: the integer matrix product, rescaled and requantized. */
function qlinearMatMul(ctx: NodeContext): Tensor {
  const [a, aScale, aZero, b, bScale, bZero, yScale, yZero] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
    ctx.input(i),
  );
  const acc = ops.matmul(centered(ctx, a, aZero, -2), centered(ctx, b, bZero, -1));
  const factor = ops.div(
    ops.mul(ops.cast(aScale, 'float64'), ops.cast(bScale, 'float64')),
    ops.cast(yScale, 'float64'),
  );
  return quantize(ctx, ops.mul(acc, factor), yZero, -1);
}

/** Quantized operators. */
export const quantizedOps: OnnxOpTable = {
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
  QLinearConv: qlinearConv,
  QLinearMatMul: qlinearMatMul,
  ConvInteger: (ctx) => {
    const acc = convolution(
      ctx,
      centered(ctx, ctx.input(0), ctx.inputs[2]),
      centered(ctx, ctx.input(1, 'w'), ctx.inputs[3], weightAxis),
      undefined,
    );
    return ops.cast(acc, 'int32');
  },
  MatMulInteger: (ctx) =>
    ops.cast(
      ops.matmul(
        centered(ctx, ctx.input(0, 'A'), ctx.inputs[2], -2),
        centered(ctx, ctx.input(1, 'B'), ctx.inputs[3], -1),
      ),
      'int32',
    ),
};
