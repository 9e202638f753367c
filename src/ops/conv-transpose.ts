import { record } from '../autograd/node.js';
import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  addBias,
  checkBias,
  checkConvOperands,
  checkGroups,
  checkInputChannels,
  convolve,
  convolveAdjoint,
  convolveWeightGrad,
  kernelLayout,
  slidingGeometry,
} from './conv.js';
import { tuple } from './util.js';
import { traced } from './trace.js';

/** Options of `convTranspose1d/2d/3d`: PyTorch's keyword arguments and defaults. */
export interface ConvTransposeOptions {
  /** Step between the input positions' footprints in the output (default 1). */
  stride?: number | readonly number[];
  /** Rows cut from each side of the full output, one number or one per spatial dim (default 0). */
  padding?: number | readonly number[];
  /** Rows added at the end of each spatial dim; must be below stride or dilation (default 0). */
  outputPadding?: number | readonly number[];
  /** Independent channel groups (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
}

/**
 * The d-dimensional transposed convolution: the adjoint of the convolution that maps an
 * output-sized tensor onto x, so its forward is that conv's input gradient and vice versa.
 */
function convTransposeNd(
  d: number,
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  options: ConvTransposeOptions,
): Tensor {
  checkConvOperands(op, d, x, weight, `[C_in, C_out/groups, ${kernelLayout(d)}]`);
  const groups = options.groups ?? 1;
  checkGroups(op, groups, weight, 'input channels');
  checkInputChannels(op, x, weight.shape[0], weight, groups);
  const outChannels = weight.shape[1] * groups;
  checkBias(op, bias, x, outChannels);
  const stride = tuple(options.stride ?? 1, d, op, 'stride', 1);
  const padding = tuple(options.padding ?? 0, d, op, 'padding');
  const outputPadding = tuple(options.outputPadding ?? 0, d, op, 'outputPadding');
  const dilation = tuple(options.dilation ?? 1, d, op, 'dilation', 1);
  check(
    outputPadding.every((p, i) => p < stride[i] || p < dilation[i]),
    op,
    () =>
      `outputPadding ${fmt(outputPadding)} must be smaller than stride ${fmt(stride)} or dilation ${fmt(dilation)} in each dim, as in PyTorch`,
  );
  const kernel = weight.shape.slice(2);
  const outSize = x.shape
    .slice(2)
    .map(
      (n, i) =>
        (n - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + outputPadding[i] + 1,
    );
  check(
    outSize.every((n) => n > 0),
    op,
    () =>
      `padding ${fmt(padding)} leaves no output (size ${fmt(outSize)}) for input ${fmt(x.shape)} and weight ${fmt(weight.shape)}`,
  );
  // Padding (p, p − outputPadding) makes that conv land exactly on x's spatial size.
  const geom = slidingGeometry(op, x.shape[0], outChannels, outSize, {
    kernel,
    stride,
    dilation,
    padBefore: padding,
    padAfter: padding.map((p, i) => p - outputPadding[i]),
  });
  const out = record(op, convolveAdjoint(x, weight, geom, groups), [x, weight], (g) => [
    x.requiresGrad ? convolve(g, weight, geom, groups) : null,
    weight.requiresGrad ? convolveWeightGrad(g, x, geom, groups, weight.shape) : null,
  ]);
  const attributes = { stride, padding, outputPadding, dilation, groups };
  return traced('convTranspose', addBias(out, bias), [x, weight, bias], attributes);
}

/**
 * 1-D transposed convolution of x [N, C_in, L] with weight [C_in, C_out/groups, k], plus bias
 * [C_out]; `F.conv_transpose1d`. Shape: [N, C_out, L_out],
 * L_out = (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 *
 * @example convTranspose1d(randn([1, 4, 10]), randn([4, 2, 4]), null, { stride: 2, padding: 1 }) // [1, 2, 20]
 */
export function convTranspose1d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvTransposeOptions = {},
): Tensor {
  return convTransposeNd(1, 'convTranspose1d', x, weight, bias, options);
}

/**
 * 2-D transposed convolution ("deconvolution") of x [N, C_in, H, W] with weight
 * [C_in, C_out/groups, kH, kW], plus bias [C_out]; `F.conv_transpose2d`. Shape: [N, C_out, H_out, W_out],
 * H_out = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1, W_out likewise.
 *
 * @example convTranspose2d(randn([1, 8, 7, 7]), randn([8, 4, 3, 3]), null, { stride: 2, padding: 1, outputPadding: 1 }) // [1, 4, 14, 14]
 */
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvTransposeOptions = {},
): Tensor {
  return convTransposeNd(2, 'convTranspose2d', x, weight, bias, options);
}

/**
 * 3-D transposed convolution of x [N, C_in, D, H, W] with weight [C_in, C_out/groups, kD, kH, kW],
 * plus bias [C_out]; `F.conv_transpose3d`. Shape: [N, C_out, D_out, H_out, W_out],
 * D_out = (D − 1)·stride − 2·padding + dilation·(kD − 1) + outputPadding + 1, H_out and W_out likewise.
 *
 * @example convTranspose3d(randn([1, 4, 3, 3, 3]), randn([4, 2, 2, 2, 2]), null, { stride: 2 }) // [1, 2, 6, 6, 6]
 */
export function convTranspose3d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvTransposeOptions = {},
): Tensor {
  return convTransposeNd(3, 'convTranspose3d', x, weight, bias, options);
}
