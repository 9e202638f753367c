/** Conv and ConvTranspose for 1 to 3 spatial dims, with ONNX's padding rules. */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { padPairs, spatialPads, toFoveaPad, windowSteps } from './util.js';

const convs = [ops.conv1d, ops.conv2d, ops.conv3d];
const transposedConvs = [ops.convTranspose1d, ops.convTranspose2d, ops.convTranspose3d];

/** The number of spatial dims of x [N, C, ...spatial], checked to be 1 to 3. */
export function spatialRank(ctx: NodeContext, x: Tensor): number {
  const d = x.ndim - 2;
  ctx.check(
    d >= 1 && d <= 3,
    () => `input must be [N, C, ...spatial] with 1 to 3 spatial dims, got shape [${x.shape}]`,
  );
  return d;
}

/** Conv: cross-correlation of x with weight [C_out, C_in/group, ...kernel], plus bias. */
export function convolution(ctx: NodeContext, x: Tensor, w: Tensor, b: Tensor | undefined): Tensor {
  const d = spatialRank(ctx, x);
  const { strides, dilations } = windowSteps(ctx, d);
  const padding = spatialPads(ctx, x.shape.slice(2), w.shape.slice(2), strides, dilations);
  return convs[d - 1](x, w, b, {
    stride: strides,
    dilation: dilations,
    padding,
    groups: ctx.int('group', 1),
  });
}

/**
 * ConvTranspose: the full transposed convolution, then ONNX's pads cropped from (or
 * output_padding zeros added to) each end, then the bias.
 */
function convTranspose(ctx: NodeContext): Tensor {
  const [x, w, b] = [ctx.input(0), ctx.input(1, 'W'), ctx.inputs[2]];
  const d = spatialRank(ctx, x);
  const { strides, dilations } = windowSteps(ctx, d);
  const full = transposedConvs[d - 1](x, w, null, {
    stride: strides,
    dilation: dilations,
    groups: ctx.int('group', 1),
  });
  const fullSize = full.shape.slice(2);
  const outputPadding = ctx.ints('output_padding', new Array<number>(d).fill(0));
  const outputShape = ctx.ints('output_shape');
  const autoPad = ctx.string('auto_pad', 'NOTSET');
  let pairs: [number, number][];
  if (outputShape || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const target = outputShape
      ? outputShape.slice(-d)
      : x.shape.slice(2).map((n, i) => n * strides[i]);
    pairs = target.map((size, i) => {
      const total = fullSize[i] + outputPadding[i] - size;
      const half = Math.floor(total / 2);
      return autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
    });
  } else {
    pairs = padPairs(ctx.ints('pads', new Array<number>(2 * d).fill(0)));
  }
  const cropped = ops.pad(
    full,
    toFoveaPad(pairs.map(([before, after], i) => [-before, outputPadding[i] - after])),
  );
  return b ? ops.add(cropped, ops.reshape(b, [-1, ...new Array<number>(d).fill(1)])) : cropped;
}

/** Convolution operators. */
export const convOps: OnnxOpTable = {
  Conv: (ctx) => convolution(ctx, ctx.input(0), ctx.input(1, 'W'), ctx.inputs[2]),
  ConvTranspose: convTranspose,
};
