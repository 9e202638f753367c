import { isGradEnabled } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import type { DType } from '../backend/dtype.js';
import { getBackend } from '../tensor/backend-registry.js';
import { tensor } from '../tensor/create.js';
import { check, fmt } from '../tensor/errors.js';
import { numel } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, pow } from './arithmetic.js';
import {
  adaptivePooling,
  checkPoolInput,
  slidingPooling,
  slidingWindows,
  type AdaptiveOutputSize,
  type Pooling,
  type SlidingWindowOptions,
  type SlidingWindows,
} from './pool-windows.js';
import { abs, sign } from './unary.js';
import { empty, uninitialized } from './util.js';
import { traced } from './trace.js';

export type { AdaptiveOutputSize, SlidingWindowOptions } from './pool-windows.js';

/** Options of maxPool1d/2d/3d, as `F.max_pool2d`'s keyword arguments. */
export interface MaxPoolOptions extends SlidingWindowOptions {
  /** Also return where each maximum came from (default false). */
  returnIndices?: boolean;
}

/** Options of avgPool1d/2d/3d, as `F.avg_pool2d`'s keyword arguments. */
export interface AvgPoolOptions extends Omit<SlidingWindowOptions, 'dilation'> {
  /** Count padded zeros in the divisor (default true); false divides by the real elements. */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead (non-zero). */
  divisorOverride?: number | null;
}

/** Options of lpPool1d/2d, as `F.lp_pool2d`'s keyword arguments (no padding). */
export type LpPoolOptions = Omit<SlidingWindowOptions, 'padding' | 'dilation'>;

/** Options of adaptiveMaxPool1d/2d/3d. */
export interface AdaptiveMaxPoolOptions {
  /** Also return where each maximum came from (default false). */
  returnIndices?: boolean;
}

/**
 * Max pooling's result with `returnIndices`: the pooled values, and for each the int32 index of its
 * maximum, flat within its input plane (L, H·W or D·H·W), as PyTorch's indices.
 */
export interface PoolWithIndices {
  values: Tensor;
  indices: Tensor;
}

/** A max pooling function: it returns `{ values, indices }` when `returnIndices` is true. */
export interface MaxPool {
  (x: Tensor, options: MaxPoolOptions & { returnIndices: true }): PoolWithIndices;
  (x: Tensor, options: MaxPoolOptions & { returnIndices?: false }): Tensor;
  (x: Tensor, options: MaxPoolOptions): Tensor | PoolWithIndices;
}

/** An adaptive max pooling function: it returns `{ values, indices }` when `returnIndices` is true. */
export interface AdaptiveMaxPool {
  (x: Tensor, outputSize: AdaptiveOutputSize, options: { returnIndices: true }): PoolWithIndices;
  (x: Tensor, outputSize: AdaptiveOutputSize, options?: { returnIndices?: false }): Tensor;
  (
    x: Tensor,
    outputSize: AdaptiveOutputSize,
    options?: AdaptiveMaxPoolOptions,
  ): Tensor | PoolWithIndices;
}

function planeSize(geom: Pooling['geom'], side: 'inSize' | 'outSize'): number {
  return numel(geom.axes.map((axis) => axis[side]));
}

/**
 * The maximum of each window; its gradient goes to the (first) argmax of the window. The argmax
 * is made only when it is returned (`withIndices`) or the gradient will need it: inference skips
 * it (an int32 array the size of the output).
 */
function windowMax(
  x: Tensor,
  { geom, outShape }: Pooling,
  op: string,
  withIndices: boolean,
): { values: Tensor; indices: Tensor | null } {
  const values = uninitialized(outShape, x.dtype);
  if (!withIndices && !(isGradEnabled() && x.requiresGrad)) {
    getBackend().windowMax(x.data, geom, values.data);
    return { values, indices: null };
  }
  const indices = uninitialized(outShape, 'int32');
  const argmax = indices.data as Int32Array;
  getBackend().windowMax(x.data, geom, values.data, argmax);
  const dims = {
    outer: geom.planes,
    size: planeSize(geom, 'inSize'),
    count: planeSize(geom, 'outSize'),
    inner: 1,
  };
  record(op, values, [x], (g) => {
    const gin = empty(x.shape, g.dtype);
    getBackend().scatterAdd(g.data, argmax, dims, gin.data);
    return [gin];
  });
  return { values, indices };
}

/** The sum of each window; its gradient goes to every element of the window. */
function windowSum(x: Tensor, { geom, outShape }: Pooling, op: string): Tensor {
  const out = uninitialized(outShape, x.dtype);
  getBackend().windowSum(x.data, geom, out.data);
  return record(op, out, [x], (g) => {
    const gin = uninitialized(x.shape, g.dtype);
    getBackend().windowSumBackward(g.data, geom, gin.data);
    return [gin];
  });
}

/** The product of one factor per spatial dim, as a tensor of the output's spatial shape. */
function productTable(perAxis: readonly number[][], dtype: DType): Tensor {
  return perAxis
    .map((factors, a) =>
      tensor(factors, {
        dtype,
        shape: perAxis.map((other, b) => (a === b ? other.length : 1)),
      }),
    )
    .reduce((acc, factor) => mul(acc, factor));
}

/**
 * Average pooling with PyTorch's divisor: with countIncludePad, the window clipped to the padded
 * input (smaller than the kernel only where ceil mode lets it run past the padding); without, the
 * number of real elements in it.
 */
function averagePool(
  x: Tensor,
  w: SlidingWindows,
  countIncludePad: boolean,
  divisorOverride: number | null,
  op: string,
): Tensor {
  const pooling = slidingPooling(x, w, op);
  const sums = windowSum(x, pooling, op);
  if (divisorOverride !== null) return div(sums, divisorOverride);
  const perAxis = pooling.geom.axes.map((axis, i) => {
    const [k, s, p] = [w.kernel[i], w.stride[i], w.padding[i]];
    if (!countIncludePad) return Array.from(axis.count);
    return Array.from({ length: axis.outSize }, (_, o) => {
      const first = o * s - p;
      return Math.min(first + k, axis.inSize + p) - first;
    });
  });
  return div(sums, productTable(perAxis, x.dtype));
}

function maxPoolFor(d: number): MaxPool {
  const op = `maxPool${d}d`;
  // The overloads only narrow the return type by returnIndices; one body serves them all.
  return ((x: Tensor, options: MaxPoolOptions) => {
    checkPoolInput(x, d, op);
    const w = slidingWindows(options, d, op);
    const result = windowMax(x, slidingPooling(x, w, op), op, options.returnIndices ?? false);
    traced('maxPool', result.values, [x], { ...w });
    return options.returnIndices ? result : result.values;
  }) as MaxPool;
}

function avgPoolNd(x: Tensor, options: AvgPoolOptions, d: number): Tensor {
  const op = `avgPool${d}d`;
  checkPoolInput(x, d, op);
  const w = slidingWindows({ ...options, dilation: 1 }, d, op);
  const divisorOverride = options.divisorOverride ?? null;
  check(
    divisorOverride === null || (Number.isInteger(divisorOverride) && divisorOverride !== 0),
    op,
    () => `divisorOverride must be a non-zero integer, got ${divisorOverride}`,
  );
  const countIncludePad = options.countIncludePad ?? true;
  const out = averagePool(x, w, countIncludePad, divisorOverride, op);
  return traced('avgPool', out, [x], { ...w, countIncludePad, divisorOverride });
}

function lpPoolNd(x: Tensor, normType: number, options: LpPoolOptions, d: number): Tensor {
  const op = `lpPool${d}d`;
  checkPoolInput(x, d, op);
  check(
    Number.isFinite(normType) && normType > 0,
    op,
    () => `normType must be a positive finite number, got ${normType}`,
  );
  const w = slidingWindows({ ...options, padding: 0, dilation: 1 }, d, op);
  const avg = averagePool(pow(x, normType), w, true, null, op);
  // As PyTorch: sign(avg)·|avg| is avg with a zero gradient where avg = 0, and multiplying by the
  // kernel size turns the average back into the window sum (unless ceil mode clipped the window).
  const out = pow(mul(mul(sign(avg), abs(avg)), numel(w.kernel)), 1 / normType);
  return traced('lpPool', out, [x], { ...w, normType });
}

function adaptiveAvgPoolNd(
  x: Tensor,
  outputSize: AdaptiveOutputSize,
  d: number,
  op: string,
): Tensor {
  checkPoolInput(x, d, op);
  const pooling = adaptivePooling(x, outputSize, d, op);
  const counts = pooling.geom.axes.map((axis) => Array.from(axis.count));
  return traced('adaptiveAvgPool', div(windowSum(x, pooling, op), productTable(counts, x.dtype)), [
    x,
  ]);
}

function adaptiveMax(
  x: Tensor,
  outputSize: AdaptiveOutputSize,
  d: number,
  op: string,
  withIndices: boolean,
): { values: Tensor; indices: Tensor | null } {
  checkPoolInput(x, d, op);
  const result = windowMax(x, adaptivePooling(x, outputSize, d, op), op, withIndices);
  traced('adaptiveMaxPool', result.values, [x]);
  return result;
}

function adaptiveMaxPoolFor(d: number): AdaptiveMaxPool {
  const op = `adaptiveMaxPool${d}d`;
  // The overloads only narrow the return type by returnIndices; one body serves them all.
  return ((x: Tensor, outputSize: AdaptiveOutputSize, options: AdaptiveMaxPoolOptions = {}) => {
    const result = adaptiveMax(x, outputSize, d, op, options.returnIndices ?? false);
    return options.returnIndices ? result : result.values;
  }) as AdaptiveMaxPool;
}

/**
 * Max over sliding windows of [N, C, L] (or unbatched [C, L]), as `F.max_pool1d`.
 * L_out = ⌊(L + 2·padding − dilation·(kernelSize − 1) − 1) / stride⌋ + 1; with ceilMode the
 * division rounds up, but the last window must start inside the input or the left padding.
 *
 * @example maxPool1d(x, { kernelSize: 3, stride: 2, padding: 1 }) // [2, 4, 9] → [2, 4, 5]
 */
export const maxPool1d: MaxPool = maxPoolFor(1);

/**
 * Max over sliding windows of [N, C, H, W] (or unbatched [C, H, W]), as `F.max_pool2d`; padded
 * positions never win. Per spatial dim,
 * H_out = ⌊(H + 2·padding − dilation·(kernelSize − 1) − 1) / stride⌋ + 1; with ceilMode the
 * division rounds up, but the last window must start inside the input or the left padding.
 * Needs padding ≤ ⌊kernelSize / 2⌋.
 *
 * @example
 * maxPool2d(x, { kernelSize: 2 }); // [1, 3, 28, 28] → [1, 3, 14, 14]
 * const { values, indices } = maxPool2d(x, { kernelSize: 2, returnIndices: true });
 */
export const maxPool2d: MaxPool = maxPoolFor(2);

/**
 * Max over sliding windows of [N, C, D, H, W] (or unbatched [C, D, H, W]), as `F.max_pool3d`.
 * Per spatial dim, D_out = ⌊(D + 2·padding − dilation·(kernelSize − 1) − 1) / stride⌋ + 1; with
 * ceilMode the division rounds up, but the last window must start inside the input or the left
 * padding.
 *
 * @example maxPool3d(x, { kernelSize: 2 }) // [1, 2, 8, 8, 8] → [1, 2, 4, 4, 4]
 */
export const maxPool3d: MaxPool = maxPoolFor(3);

/**
 * Average over sliding windows of [N, C, L] (or unbatched [C, L]), as `F.avg_pool1d`.
 * L_out = ⌊(L + 2·padding − kernelSize) / stride⌋ + 1; with ceilMode the division rounds up, but
 * the last window must start inside the input or the left padding.
 *
 * @example avgPool1d(x, { kernelSize: 3, stride: 2, padding: 1 }) // [2, 4, 9] → [2, 4, 5]
 */
export function avgPool1d(x: Tensor, options: AvgPoolOptions): Tensor {
  return avgPoolNd(x, options, 1);
}

/**
 * Average over sliding windows of [N, C, H, W] (or unbatched [C, H, W]), as `F.avg_pool2d`.
 * Per spatial dim, H_out = ⌊(H + 2·padding − kernelSize) / stride⌋ + 1; with ceilMode the division
 * rounds up, but the last window must start inside the input or the left padding. The divisor is
 * divisorOverride if given, else the window size clipped to the padded input (countIncludePad,
 * the default) or the number of real elements in the window.
 *
 * @example avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false })
 */
export function avgPool2d(x: Tensor, options: AvgPoolOptions): Tensor {
  return avgPoolNd(x, options, 2);
}

/**
 * Average over sliding windows of [N, C, D, H, W] (or unbatched [C, D, H, W]), as `F.avg_pool3d`.
 * Per spatial dim, D_out = ⌊(D + 2·padding − kernelSize) / stride⌋ + 1; ceilMode and the divisor
 * as in avgPool2d.
 *
 * @example avgPool3d(x, { kernelSize: 2 }) // [1, 2, 8, 8, 8] → [1, 2, 4, 4, 4]
 */
export function avgPool3d(x: Tensor, options: AvgPoolOptions): Tensor {
  return avgPoolNd(x, options, 3);
}

/**
 * Average of [N, C, L] (or [C, L]) over `outputSize` windows, as `F.adaptive_avg_pool1d`: output
 * o covers [⌊o·L/L_out⌋, ⌈(o+1)·L/L_out⌉), so windows overlap when L_out does not divide L (or
 * exceeds it). Shape: [N, C, outputSize].
 *
 * @example adaptiveAvgPool1d(x, 3) // [2, 4, 7] → [2, 4, 3]
 */
export function adaptiveAvgPool1d(x: Tensor, outputSize: AdaptiveOutputSize): Tensor {
  return adaptiveAvgPoolNd(x, outputSize, 1, 'adaptiveAvgPool1d');
}

/**
 * Average of [N, C, H, W] (or [C, H, W]) over outputSize windows, as `F.adaptive_avg_pool2d`:
 * along each dim, output o of size O over input size I covers [⌊o·I/O⌋, ⌈(o+1)·I/O⌉).
 * outputSize is a number (square) or [H_out, W_out], where null keeps that input size.
 * Shape: [N, C, H_out, W_out].
 *
 * @example adaptiveAvgPool2d(x, [1, 1]) // global average: [8, 512, 7, 7] → [8, 512, 1, 1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveOutputSize): Tensor {
  return adaptiveAvgPoolNd(x, outputSize, 2, 'adaptiveAvgPool2d');
}

/**
 * Average of [N, C, D, H, W] (or [C, D, H, W]) over outputSize windows, as
 * `F.adaptive_avg_pool3d`; windows as in adaptiveAvgPool2d. Shape: [N, C, D_out, H_out, W_out].
 *
 * @example adaptiveAvgPool3d(x, [2, null, 4]) // [1, 3, 5, 6, 7] → [1, 3, 2, 6, 4]
 */
export function adaptiveAvgPool3d(x: Tensor, outputSize: AdaptiveOutputSize): Tensor {
  return adaptiveAvgPoolNd(x, outputSize, 3, 'adaptiveAvgPool3d');
}

/**
 * Max of [N, C, L] (or [C, L]) over `outputSize` windows, as `F.adaptive_max_pool1d`: output o
 * covers [⌊o·L/L_out⌋, ⌈(o+1)·L/L_out⌉). Shape: [N, C, outputSize].
 *
 * @example adaptiveMaxPool1d(x, 3, { returnIndices: true }) // { values, indices }, [2, 4, 3]
 */
export const adaptiveMaxPool1d: AdaptiveMaxPool = adaptiveMaxPoolFor(1);

/**
 * Max of [N, C, H, W] (or [C, H, W]) over outputSize windows, as `F.adaptive_max_pool2d`:
 * along each dim, output o of size O over input size I covers [⌊o·I/O⌋, ⌈(o+1)·I/O⌉); null in
 * outputSize keeps that input size. Shape: [N, C, H_out, W_out].
 *
 * @example adaptiveMaxPool2d(x, [4, 3]) // [1, 3, 5, 7] → [1, 3, 4, 3]
 */
export const adaptiveMaxPool2d: AdaptiveMaxPool = adaptiveMaxPoolFor(2);

/**
 * Max of [N, C, D, H, W] (or [C, D, H, W]) over outputSize windows, as `F.adaptive_max_pool3d`;
 * windows as in adaptiveMaxPool2d. Shape: [N, C, D_out, H_out, W_out].
 *
 * @example adaptiveMaxPool3d(x, 2) // [1, 3, 5, 6, 7] → [1, 3, 2, 2, 2]
 */
export const adaptiveMaxPool3d: AdaptiveMaxPool = adaptiveMaxPoolFor(3);

/**
 * The p-norm of each sliding window of [N, C, L] (or [C, L]), (Σ xᵖ)^(1/p) with p = normType, as
 * `F.lp_pool1d` computes it: from avgPool1d of xᵖ times kernelSize (so with ceilMode a last window
 * clipped to n < k elements gives (k/n · Σ xᵖ)^(1/p), as in PyTorch). No padding.
 * L_out = ⌊(L − kernelSize) / stride⌋ + 1 (ceilMode as in maxPool1d).
 *
 * @example lpPool1d(x, 2, { kernelSize: 3, stride: 2 }) // [2, 4, 9] → [2, 4, 4]
 */
export function lpPool1d(x: Tensor, normType: number, options: LpPoolOptions): Tensor {
  return lpPoolNd(x, normType, options, 1);
}

/**
 * The p-norm of each sliding window of [N, C, H, W] (or [C, H, W]), (Σ xᵖ)^(1/p) with
 * p = normType, as `F.lp_pool2d` computes it (see lpPool1d). No padding.
 * Per spatial dim, H_out = ⌊(H − kernelSize) / stride⌋ + 1 (ceilMode as in maxPool2d).
 *
 * @example lpPool2d(x, 2, { kernelSize: 2 }) // [1, 3, 8, 8] → [1, 3, 4, 4]
 */
export function lpPool2d(x: Tensor, normType: number, options: LpPoolOptions): Tensor {
  return lpPoolNd(x, normType, options, 2);
}

function checkGlobalInput(x: Tensor, op: string): void {
  check(
    x.ndim >= 3,
    op,
    () => `expected input [N, C, ...spatial] of at least 3 dimensions, got shape ${fmt(x.shape)}`,
  );
}

/**
 * The average over all spatial dims of [N, C, ...spatial] (any number of them), keeping them as
 * size 1, as ONNX GlobalAveragePool (`F.adaptive_avg_pool2d(x, 1)` for images).
 * Shape: [N, C, 1, ..., 1].
 *
 * @example globalAvgPool(x) // [8, 512, 7, 7] → [8, 512, 1, 1]
 */
export function globalAvgPool(x: Tensor): Tensor {
  checkGlobalInput(x, 'globalAvgPool');
  return adaptiveAvgPoolNd(x, 1, x.ndim - 2, 'globalAvgPool');
}

/**
 * The maximum over all spatial dims of [N, C, ...spatial] (any number of them), keeping them as
 * size 1, as ONNX GlobalMaxPool (`F.adaptive_max_pool2d(x, 1)` for images; the gradient goes to
 * the first maximum). Shape: [N, C, 1, ..., 1].
 *
 * @example globalMaxPool(x) // [8, 512, 7, 7] → [8, 512, 1, 1]
 */
export function globalMaxPool(x: Tensor): Tensor {
  const op = 'globalMaxPool';
  checkGlobalInput(x, op);
  return adaptiveMax(x, 1, x.ndim - 2, op, false).values;
}
