import type { AxisMap } from '../backend/backend.js';
import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { gatherMap, mapAxis } from './axis-map.js';
import { checkFloat, checkNdim } from './util.js';
import { traced } from './trace.js';

/** How `interpolate` computes each output value, as `F.interpolate`'s `mode`. */
export type InterpolateMode =
  'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear';

/** Options of `interpolate`; give exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  /** The output's spatial size: one number for every spatial dim, or one per dim. */
  size?: number | readonly number[];
  /** Multiplies each spatial size (out = ⌊in · scaleFactor⌋): one number, or one per dim. */
  scaleFactor?: number | readonly number[];
  /** Default 'nearest'. */
  mode?: InterpolateMode;
  /**
   * Linear and cubic modes only (default false): map the centres of the corner pixels onto each
   * other, instead of the outer edges of the image.
   */
  alignCorners?: boolean;
  /** With scaleFactor: sample at in/out instead of 1/scaleFactor (default false). */
  recomputeScaleFactor?: boolean;
}

/** The input layout each mode needs; nearest modes take any of 3-D, 4-D and 5-D. */
const modeLayouts: Record<InterpolateMode, { ndim: number; layout: string } | undefined> = {
  nearest: undefined,
  'nearest-exact': undefined,
  linear: { ndim: 3, layout: '[N, C, W]' },
  bilinear: { ndim: 4, layout: '[N, C, H, W]' },
  bicubic: { ndim: 4, layout: '[N, C, H, W]' },
  trilinear: { ndim: 5, layout: '[N, C, D, H, W]' },
};

/**
 * Resizes the spatial dims of x [N, C, ...spatial] (1 to 3 of them), as
 * `torch.nn.functional.interpolate`, matching PyTorch's sampling positions exactly:
 * - 'nearest' reads input ⌊o · scale⌋ (PyTorch's legacy rule, computed in float32 as it does);
 *   'nearest-exact' reads ⌊(o + ½) · scale⌋;
 * - 'linear' (3-D), 'bilinear' (4-D), 'trilinear' (5-D) interpolate linearly along each dim;
 * - 'bicubic' (4-D) uses Keys' cubic convolution (A = −0.75) with the border replicated.
 *
 * scale is in/out, or 1/scaleFactor when scaleFactor is given (unless recomputeScaleFactor);
 * with alignCorners it is (in − 1)/(out − 1). Nearest modes accept integer tensors.
 * Shape: [N, C, ...size], or [N, C, ...⌊spatial · scaleFactor⌋].
 *
 * @example
 * interpolate(x, { scaleFactor: 2, mode: 'bilinear' }); // [1, 3, 8, 8] → [1, 3, 16, 16]
 */
export function interpolate(x: Tensor, options: InterpolateOptions = {}): Tensor {
  const mode = options.mode ?? 'nearest';
  check(
    Object.hasOwn(modeLayouts, mode),
    'interpolate',
    () => `mode must be one of ${Object.keys(modeLayouts).join(', ')}, got '${mode}'`,
  );
  checkNdim(x, [3, 4, 5], 'interpolate', 'N, C, ...spatial');
  const needs = modeLayouts[mode];
  check(
    needs === undefined || x.ndim === needs.ndim,
    'interpolate',
    () =>
      `mode '${mode}' needs a ${needs?.ndim}-D input ${needs?.layout}, got shape ${fmt(x.shape)}`,
  );
  if (needs === undefined) {
    check(
      options.alignCorners === undefined,
      'interpolate',
      () => `alignCorners only applies to the linear and cubic modes, not to '${mode}'`,
    );
  } else {
    checkFloat(x, 'interpolate');
  }
  const alignCorners = options.alignCorners ?? false;
  const axes = resizedAxes(x, options);
  const out = axes.reduce(
    (out, axis, i) => mapAxis(out, i + 2, axisMap(mode, axis, alignCorners), 'interpolate'),
    x,
  );
  const scaleFactors = axes.every((a) => a.scaleFactor !== undefined)
    ? axes.map((a) => a.scaleFactor)
    : null;
  return traced('interpolate', out, [x], { mode, alignCorners, scaleFactors });
}

/** One spatial dim to resize; scaleFactor is set where PyTorch's kernel samples with it. */
interface AxisResize {
  inSize: number;
  outSize: number;
  scaleFactor: number | undefined;
}

/** The sizes of every spatial dim before and after, from `size` or `scaleFactor`. */
function resizedAxes(x: Tensor, options: InterpolateOptions): AxisResize[] {
  const { size, scaleFactor, recomputeScaleFactor = false } = options;
  check(
    (size === undefined) !== (scaleFactor === undefined),
    'interpolate',
    () =>
      `give exactly one of size and scaleFactor, got ${size === undefined ? 'neither' : 'both'}`,
  );
  const spatial = x.shape.slice(2);
  let axes: AxisResize[];
  if (size !== undefined) {
    check(
      !recomputeScaleFactor,
      'interpolate',
      () => 'recomputeScaleFactor only applies with scaleFactor, not with an explicit size',
    );
    const sizes = perAxis(size, x, 'size');
    check(
      sizes.every(Number.isInteger),
      'interpolate',
      () => `size must be integers, got [${sizes.join(', ')}]`,
    );
    axes = spatial.map((n, i) => ({ inSize: n, outSize: sizes[i], scaleFactor: undefined }));
  } else {
    const factors = perAxis(scaleFactor!, x, 'scaleFactor');
    check(
      factors.every((f) => Number.isFinite(f) && f > 0),
      'interpolate',
      () => `scaleFactor must be positive numbers, got [${factors.join(', ')}]`,
    );
    axes = spatial.map((n, i) => ({
      inSize: n,
      outSize: Math.floor(n * factors[i]),
      scaleFactor: recomputeScaleFactor ? undefined : factors[i],
    }));
  }
  check(
    axes.every((a) => a.inSize > 0 && a.outSize > 0),
    'interpolate',
    () =>
      `spatial sizes must be positive, got input ${fmt(x.shape)} and output spatial size ${fmt(axes.map((a) => a.outSize))}`,
  );
  return axes;
}

/** A per-dim option as one entry per spatial dim of x. */
function perAxis(value: number | readonly number[], x: Tensor, name: string): number[] {
  const d = x.ndim - 2;
  const list = typeof value === 'number' ? new Array<number>(d).fill(value) : [...value];
  check(
    list.length === d,
    'interpolate',
    () =>
      `${name} must have ${d} entries, one per spatial dim of input ${fmt(x.shape)}, got [${list.join(', ')}]`,
  );
  return list;
}

/** The sparse map that resizes one dim in `mode`. */
function axisMap(mode: InterpolateMode, axis: AxisResize, alignCorners: boolean): AxisMap {
  switch (mode) {
    case 'nearest':
    case 'nearest-exact':
      return gatherMap(axis.outSize, (o) => nearestSource(o, axis, mode === 'nearest-exact'));
    case 'bicubic':
      return cubicMap(axis, alignCorners);
    default:
      return linearMap(axis, alignCorners);
  }
}

/** PyTorch's step between output positions in input coordinates (area_pixel_compute_scale). */
function sourceScale({ inSize, outSize, scaleFactor }: AxisResize, alignCorners: boolean): number {
  if (alignCorners) return outSize > 1 ? (inSize - 1) / (outSize - 1) : 0;
  return scaleFactor === undefined ? inSize / outSize : 1 / scaleFactor;
}

/**
 * The input position a nearest mode reads for output o. PyTorch computes it in float32 whatever
 * the dtype, and a floor is sensitive to that rounding, so this does too; legacy 'nearest' also
 * has exact shortcuts for equal and doubled sizes.
 */
function nearestSource(o: number, axis: AxisResize, exact: boolean): number {
  const { inSize, outSize } = axis;
  if (!exact && outSize === inSize) return o;
  if (!exact && outSize === 2 * inSize) return o >> 1;
  const scale = Math.fround(sourceScale(axis, false));
  const position = Math.fround(exact ? (o + 0.5) * scale : o * scale);
  return Math.min(Math.floor(position), inSize - 1);
}

/**
 * Where output o samples the input, in input pixel coordinates (pixel centres at integers).
 * Computed in float64 where PyTorch uses the input's dtype: harmless, as the linear and cubic
 * weights are continuous in the position.
 */
function sourcePosition(o: number, scale: number, alignCorners: boolean): number {
  return alignCorners ? scale * o : scale * (o + 0.5) - 0.5;
}

/** A map with `taps` taps per output; `tapsOf(o)` lists its (input index, weight) pairs. */
function tapMap(
  outSize: number,
  taps: number,
  tapsOf: (o: number) => readonly (readonly [number, number])[],
): AxisMap {
  const index = new Int32Array(outSize * taps);
  const weight = new Float64Array(outSize * taps);
  for (let o = 0; o < outSize; o++) {
    tapsOf(o).forEach(([i, w], t) => {
      index[o * taps + t] = i;
      weight[o * taps + t] = w;
    });
  }
  return { taps, index, weight, fill: 0 };
}

/** Linear interpolation between the two inputs around each sample position. */
function linearMap(axis: AxisResize, alignCorners: boolean): AxisMap {
  const { inSize, outSize } = axis;
  const scale = sourceScale(axis, alignCorners);
  return tapMap(outSize, 2, (o) => {
    // PyTorch copies when the sizes agree, even where a scale factor says otherwise.
    if (inSize === outSize)
      return [
        [o, 1],
        [o, 0],
      ];
    // Positions left of the first pixel centre clamp to it.
    const position = Math.max(0, sourcePosition(o, scale, alignCorners));
    const i0 = Math.min(Math.floor(position), inSize - 1);
    const w1 = Math.min(position - i0, 1);
    return [
      [i0, 1 - w1],
      [Math.min(i0 + 1, inSize - 1), w1],
    ];
  });
}

/** The cubic convolution constant PyTorch uses (as TensorFlow; Keys suggests −0.5). */
const A = -0.75;

/** Cubic interpolation from the four inputs around each position, the border replicated. */
function cubicMap(axis: AxisResize, alignCorners: boolean): AxisMap {
  const scale = sourceScale(axis, alignCorners);
  const last = axis.inSize - 1;
  return tapMap(axis.outSize, 4, (o) => {
    // Unlike linear, positions left of the first centre are kept: they shift the weights.
    const position = sourcePosition(o, scale, alignCorners);
    const i = Math.floor(position);
    return cubicWeights(position - i).map((w, t) => [Math.min(Math.max(i - 1 + t, 0), last), w]);
  });
}

/** The weights of the inputs at offsets −1, 0, 1, 2 from ⌊position⌋, for fraction t. */
function cubicWeights(t: number): [number, number, number, number] {
  const near = (d: number) => ((A + 2) * d - (A + 3)) * d * d + 1; // distance ≤ 1
  const far = (d: number) => ((A * d - 5 * A) * d + 8 * A) * d - 4 * A; // 1 < distance < 2
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}
