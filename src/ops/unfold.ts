import type { ConvGeometry } from '../backend/backend.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import { numel } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { slidingGeometry, type SlidingWindow } from './conv.js';
import { checkFloat, checkNdim, empty, tuple } from './util.js';

/** Options of `unfold`: PyTorch's keyword arguments and defaults. */
export interface UnfoldOptions {
  /** Size of the sliding block, one number or [kH, kW]. */
  kernelSize: number | readonly number[];
  /** Spacing between block elements (default 1). */
  dilation?: number | readonly number[];
  /** Zero padding on both sides of each spatial dim (default 0). */
  padding?: number | readonly number[];
  /** Step between blocks (default 1). */
  stride?: number | readonly number[];
}

/** Options of `fold`: those of `unfold` plus the spatial size to rebuild. */
export interface FoldOptions extends UnfoldOptions {
  /** Spatial size of the output, one number or [H, W]. */
  outputSize: number | readonly number[];
}

function slidingWindow(op: string, options: UnfoldOptions): SlidingWindow {
  const padding = tuple(options.padding ?? 0, 2, op, 'padding');
  return {
    kernel: tuple(options.kernelSize, 2, op, 'kernelSize', 1),
    stride: tuple(options.stride ?? 1, 2, op, 'stride', 1),
    dilation: tuple(options.dilation ?? 1, 2, op, 'dilation', 1),
    padBefore: padding,
    padAfter: padding,
  };
}

/** Block columns [N, C·∏kernel, L] of x [N, C, ...inSize] (not recorded). */
function im2col(x: Tensor, geom: ConvGeometry): Tensor {
  const cols = empty(
    [geom.batch, geom.channels * numel(geom.kernel), numel(geom.outSize)],
    x.dtype,
  );
  getBackend().im2col(x.data, geom, cols.data);
  return cols;
}

/** The sum of block columns back into [N, C, ...inSize] (not recorded). */
function col2im(cols: Tensor, geom: ConvGeometry): Tensor {
  const x = empty([geom.batch, geom.channels, ...geom.inSize], cols.dtype);
  getBackend().col2im(cols.data, geom, x.data);
  return x;
}

/**
 * The sliding blocks of x [N, C, H, W] as columns ("im2col"), as `F.unfold`: column l holds the
 * C·kH·kW values of block l, channel-major. Shape: [N, C·kH·kW, L], L = H_out·W_out with
 * H_out = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1, W_out likewise.
 *
 * @example unfold(randn([1, 3, 8, 8]), { kernelSize: 2, stride: 2 }) // [1, 12, 16]
 */
export function unfold(x: Tensor, options: UnfoldOptions): Tensor {
  checkFloat(x, 'unfold');
  checkNdim(x, [4], 'unfold', '[N, C, H, W]');
  const geom = slidingGeometry(
    'unfold',
    x.shape[0],
    x.shape[1],
    x.shape.slice(2),
    slidingWindow('unfold', options),
  );
  return record('unfold', im2col(x, geom), [x], (g) => [col2im(g, geom)]);
}

/**
 * The inverse arrangement of `unfold` ("col2im"), as `F.fold`: each column of cols
 * [N, C·kH·kW, L] is placed at its block of an [N, C, outputSize] image, and overlapping values
 * add up. L must equal the number of blocks outputSize has. Shape: [N, C, H, W] = [N, C, ...outputSize].
 *
 * @example fold(randn([1, 12, 16]), { outputSize: 8, kernelSize: 2, stride: 2 }) // [1, 3, 8, 8]
 */
export function fold(cols: Tensor, options: FoldOptions): Tensor {
  checkFloat(cols, 'fold');
  checkNdim(cols, [3], 'fold', '[N, C·kH·kW, L]');
  const outputSize = tuple(options.outputSize, 2, 'fold', 'outputSize', 1);
  const window = slidingWindow('fold', options);
  const kernelCount = numel(window.kernel);
  const [batch, rows, blocks] = cols.shape;
  check(
    rows % kernelCount === 0,
    'fold',
    () =>
      `dim 1 of input ${fmt(cols.shape)} must be a multiple of the ${kernelCount} positions of kernelSize ${fmt(window.kernel)}, got ${rows}`,
  );
  const geom = slidingGeometry('fold', batch, rows / kernelCount, outputSize, window);
  check(
    blocks === numel(geom.outSize),
    'fold',
    () =>
      `input ${fmt(cols.shape)} has ${blocks} blocks but outputSize ${fmt(outputSize)} holds ${numel(geom.outSize)} (${geom.outSize.join('×')}) with this kernelSize, stride, padding and dilation`,
  );
  return record('fold', col2im(cols, geom), [cols], (g) => [im2col(g, geom)]);
}
