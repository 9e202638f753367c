import type { WindowAxis, WindowGeometry } from '../backend/backend.js';
import { isFloat } from '../backend/dtype.js';
import { check, fmt } from '../tensor/errors.js';
import { numel } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNdim, tuple } from './util.js';

/** The sliding-window options of max, average and Lp pooling, as PyTorch's keyword arguments. */
export interface SlidingWindowOptions {
  /** Window size: one number for every spatial dim, or one per dim. */
  kernelSize: number | readonly number[];
  /** Step between windows; defaults to kernelSize (null or [] too, as in PyTorch). */
  stride?: number | readonly number[] | null;
  /** Implicit padding on both sides of each spatial dim (default 0), at most ⌊kernelSize / 2⌋. */
  padding?: number | readonly number[];
  /** Distance between the elements of a window (default 1; only max pooling has it). */
  dilation?: number | readonly number[];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

/** The options resolved to one entry per spatial dim. */
export interface SlidingWindows {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceilMode: boolean;
}

/** Where a pooling op's windows lie in each plane, and the shape of its output. */
export interface Pooling {
  geom: WindowGeometry;
  outShape: number[];
}

const spatialNames = ['L', 'H, W', 'D, H, W'];

/**
 * Checks a pooling input with d spatial dims: floating point, [C, ...spatial] (unbatched) or
 * [N, C, ...spatial], with no empty spatial dim.
 */
export function checkPoolInput(x: Tensor, d: number, op: string): void {
  const names = spatialNames[d - 1] ?? '...';
  checkNdim(x, [d + 1, d + 2], op, `[C, ${names}] or [N, C, ${names}]`);
  check(
    isFloat(x.dtype),
    op,
    () =>
      `input must be a floating-point tensor, got ${x.dtype} of shape ${fmt(x.shape)} (convert with .float())`,
  );
  check(
    x.shape.slice(-d).every((n) => n > 0),
    op,
    () => `input must have non-empty spatial dims, got shape ${fmt(x.shape)}`,
  );
}

/** Resolves the options for d spatial dims, checking each entry's range. */
export function slidingWindows(
  options: SlidingWindowOptions,
  d: number,
  op: string,
): SlidingWindows {
  const kernel = tuple(options.kernelSize, d, op, 'kernelSize', 1);
  const { stride } = options;
  const defaultStride =
    stride === undefined || stride === null || (Array.isArray(stride) && stride.length === 0);
  return {
    kernel,
    stride: defaultStride ? kernel : tuple(stride, d, op, 'stride', 1),
    padding: tuple(options.padding ?? 0, d, op, 'padding', 0),
    dilation: tuple(options.dilation ?? 1, d, op, 'dilation', 1),
    ceilMode: options.ceilMode ?? false,
  };
}

/**
 * PyTorch's pooled size along dim i: ⌊(n + 2·padding − dilation·(k − 1) − 1 [+ stride − 1 in ceil
 * mode]) / stride⌋ + 1, less one in ceil mode when the last window would start in the right padding.
 */
function pooledSize(n: number, w: SlidingWindows, i: number): number {
  const [k, s, p, dil] = [w.kernel[i], w.stride[i], w.padding[i], w.dilation[i]];
  const span = n + 2 * p - dil * (k - 1) - 1 + (w.ceilMode ? s - 1 : 0);
  const out = Math.floor(span / s) + 1;
  return w.ceilMode && (out - 1) * s >= n + p ? out - 1 : out;
}

/**
 * The windows of max, average or Lp pooling over x's last d dims (d = kernel.length), checked as
 * PyTorch checks them. Window o along a dim covers o·stride − padding + j·dilation for j < k,
 * clipped to the input.
 */
export function slidingPooling(x: Tensor, w: SlidingWindows, op: string): Pooling {
  const d = w.kernel.length;
  const inSizes = x.shape.slice(-d);
  check(
    w.padding.every((p, i) => p <= Math.floor(w.kernel[i] / 2)),
    op,
    () =>
      `padding ${fmt(w.padding)} must be at most half of kernelSize ${fmt(w.kernel)} (input shape ${fmt(x.shape)})`,
  );
  const outSizes = inSizes.map((n, i) => pooledSize(n, w, i));
  check(
    outSizes.every((n) => n >= 1),
    op,
    () => tooSmall(x, w, outSizes),
  );
  const axes = inSizes.map((n, i) => slidingAxis(n, outSizes[i], w, i));
  // A dilated window can skip over every input element (PyTorch returns −∞ there): refuse it.
  const hollow = axes.findIndex((axis) => axis.count.includes(0));
  check(
    hollow < 0,
    op,
    () =>
      `with dilation ${fmt(w.dilation)} and padding ${fmt(w.padding)}, a window along dim ${x.ndim - d + hollow} covers no element of the input (shape ${fmt(x.shape)})`,
  );
  return {
    geom: { planes: numel(x.shape.slice(0, -d)), axes },
    outShape: withSpatial(x, outSizes),
  };
}

function slidingAxis(inSize: number, outSize: number, w: SlidingWindows, i: number): WindowAxis {
  const [k, s, p, dil] = [w.kernel[i], w.stride[i], w.padding[i], w.dilation[i]];
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const first = o * s - p;
    const firstInside = first < 0 ? Math.ceil(-first / dil) : 0;
    const endInside = Math.min(k, Math.ceil((inSize - first) / dil));
    start[o] = first + firstInside * dil;
    count[o] = Math.max(0, endInside - firstInside);
  }
  return { inSize, outSize, start, count, step: dil };
}

function tooSmall(x: Tensor, w: SlidingWindows, outSizes: number[]): string {
  const d = w.kernel.length;
  const spans = w.kernel.map((k, i) => w.dilation[i] * (k - 1) + 1);
  const padded = x.shape.slice(-d).map((n, i) => n + 2 * w.padding[i]);
  const kernel = w.dilation.every((dil) => dil === 1)
    ? `kernelSize ${fmt(w.kernel)} is larger than`
    : `kernelSize ${fmt(w.kernel)} with dilation ${fmt(w.dilation)} spans ${fmt(spans)}, more than`;
  return (
    `${kernel} the input ${fmt(x.shape)} padded to ${fmt(padded)}: ` +
    `the output size would be ${fmt(outSizes)}${channelsLastHint(x, w)}`
  );
}

/** A hint when the input would fit if its last dim were channels (NHWC given to an NCHW op). */
function channelsLastHint(x: Tensor, w: SlidingWindows): string {
  const d = w.kernel.length;
  const channels = x.shape[x.ndim - 1];
  const fits = x.shape.slice(-d - 1, -1).every((n, i) => pooledSize(n, w, i) >= 1);
  if (!fits || channels > 4) return '';
  const lead = x.ndim - d - 1;
  const order = [
    ...Array(lead).keys(),
    x.ndim - 1,
    ...Array.from({ length: d }, (_, i) => lead + i),
  ];
  return `; the input looks channels-last (NHWC) but pooling expects NCHW: permute it with permute(x, [${order.join(', ')}])`;
}

/** An adaptive output size: one number for every spatial dim, or one per dim (null keeps that dim). */
export type AdaptiveOutputSize = number | readonly (number | null)[];

/**
 * The windows of adaptive pooling over x's last d dims: output o of a dim of input size I and
 * output size O covers [⌊o·I/O⌋, ⌈(o+1)·I/O⌉).
 */
export function adaptivePooling(
  x: Tensor,
  outputSize: AdaptiveOutputSize,
  d: number,
  op: string,
): Pooling {
  const inSizes = x.shape.slice(-d);
  const given =
    typeof outputSize === 'number' ? new Array<number>(d).fill(outputSize) : [...outputSize];
  const outSizes = given.map((n, i) => n ?? inSizes[i]);
  check(
    given.length === d && outSizes.every((n) => Number.isInteger(n) && n >= 1),
    op,
    () =>
      `outputSize must be ${d} positive integers (null keeps an input size), got [${given.map(String).join(', ')}] for input shape ${fmt(x.shape)}`,
  );
  const axes = inSizes.map((inSize, i): WindowAxis => {
    const outSize = outSizes[i];
    const start = new Int32Array(outSize);
    const count = new Int32Array(outSize);
    for (let o = 0; o < outSize; o++) {
      start[o] = Math.floor((o * inSize) / outSize);
      count[o] = Math.ceil(((o + 1) * inSize) / outSize) - start[o];
    }
    return { inSize, outSize, start, count, step: 1 };
  });
  return {
    geom: { planes: numel(x.shape.slice(0, -d)), axes },
    outShape: withSpatial(x, outSizes),
  };
}

/** x's shape with its last dims replaced by `spatial`. */
function withSpatial(x: Tensor, spatial: readonly number[]): number[] {
  return [...x.shape.slice(0, x.ndim - spatial.length), ...spatial];
}
