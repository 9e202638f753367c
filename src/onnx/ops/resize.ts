/**
 * Resize (opsets 10 to 18) and Upsample: one sparse index map per axis (nearest: 1 tap, linear:
 * 2, cubic: 4), built from ONNX's coordinate transformation, applied with fovea's differentiable
 * `mapAxis`. Any axis can be resized, not only the spatial ones.
 */
import type { AxisMap } from '../../backend/backend.js';
import { mapAxis } from '../../ops/axis-map.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { axisOf } from './util.js';

/** How one axis is resized: sizes, scale, and the settings that shape its taps. */
interface AxisResize {
  inSize: number;
  outSize: number;
  /** The output length before rounding (in · scale with scales), as ONNX's align_corners uses. */
  resizedLength: number;
  scale: number;
  roi: [number, number];
}

interface ResizeSettings {
  mode: string;
  transform: string;
  nearestMode: string;
  cubicA: number;
  excludeOutside: boolean;
  extrapolation: number;
}

/** The input coordinate that output position o samples (ONNX's coordinate_transformation_mode). */
function sourceCoordinate(ctx: NodeContext, transform: string, o: number, a: AxisResize): number {
  const { inSize: n, resizedLength: m, scale: s } = a;
  switch (transform) {
    case 'half_pixel':
      return (o + 0.5) / s - 0.5;
    case 'pytorch_half_pixel':
      return m > 1 ? (o + 0.5) / s - 0.5 : 0;
    case 'align_corners':
      return m === 1 ? 0 : (o * (n - 1)) / (m - 1);
    case 'asymmetric':
      return o / s;
    case 'tf_half_pixel_for_nn':
      return (o + 0.5) / s;
    case 'tf_crop_and_resize': {
      const [start, end] = a.roi;
      return m > 1
        ? start * (n - 1) + (o * (end - start) * (n - 1)) / (m - 1)
        : 0.5 * (start + end) * (n - 1);
    }
    default:
      throw ctx.error(`coordinate_transformation_mode '${transform}' is not supported`);
  }
}

const nearestRounding: Record<string, (x: number) => number> = {
  round_prefer_floor: (x) => (x - Math.floor(x) === 0.5 ? Math.floor(x) : Math.round(x)),
  round_prefer_ceil: (x) => Math.round(x),
  floor: Math.floor,
  ceil: Math.ceil,
};

/** Keys' cubic convolution weight at distance d with coefficient a. */
function cubicWeight(d: number, a: number): number {
  const x = Math.abs(d);
  if (x <= 1) return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1;
  if (x < 2) return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a;
  return 0;
}

/** The taps (input index, weight) output position o reads, before clamping. */
function taps(ctx: NodeContext, settings: ResizeSettings, x: number): [number, number][] {
  if (settings.mode === 'nearest') {
    const round = nearestRounding[settings.nearestMode];
    if (!round) throw ctx.error(`nearest_mode '${settings.nearestMode}' is not supported`);
    return [[round(x), 1]];
  }
  const x0 = Math.floor(x);
  const t = x - x0;
  if (settings.mode === 'linear')
    return [
      [x0, 1 - t],
      [x0 + 1, t],
    ];
  if (settings.mode === 'cubic')
    return [-1, 0, 1, 2].map((k) => [x0 + k, cubicWeight(t - k, settings.cubicA)]);
  throw ctx.error(`mode must be nearest, linear or cubic, got '${settings.mode}'`);
}

/** The index map of one axis. */
function axisMap(ctx: NodeContext, settings: ResizeSettings, a: AxisResize): AxisMap {
  const perOutput = settings.mode === 'nearest' ? 1 : settings.mode === 'linear' ? 2 : 4;
  const index = new Int32Array(a.outSize * perOutput);
  const weight = new Float64Array(a.outSize * perOutput);
  const last = a.inSize - 1;
  for (let o = 0; o < a.outSize; o++) {
    const x = sourceCoordinate(ctx, settings.transform, o, a);
    let row = taps(ctx, settings, x);
    if (settings.transform === 'tf_crop_and_resize' && (x < 0 || x > last)) {
      row = row.map((_, k) => [k === 0 ? -1 : 0, k === 0 ? 1 : 0]);
    } else if (settings.excludeOutside) {
      row = row.map(([i, w]) => [i, i < 0 || i > last ? 0 : w]);
      const total = row.reduce((acc, [, w]) => acc + w, 0);
      row = row.map(([i, w]) => [Math.min(last, Math.max(0, i)), w / total]);
    } else {
      row = row.map(([i, w]) => [Math.min(last, Math.max(0, i)), w]);
    }
    row.forEach(([i, w], k) => {
      index[o * perOutput + k] = i;
      weight[o * perOutput + k] = w;
    });
  }
  return { taps: perOutput, index, weight, fill: settings.extrapolation };
}

/** Resizes every axis whose size or sampling changes. */
function resizeAxes(
  ctx: NodeContext,
  x: Tensor,
  axes: AxisResize[],
  settings: ResizeSettings,
): Tensor {
  return axes.reduce((out, a, axis) => {
    const identity =
      a.inSize === a.outSize && a.scale === 1 && settings.transform !== 'tf_crop_and_resize';
    return identity ? out : mapAxis(out, axis, axisMap(ctx, settings, a), 'Resize');
  }, x);
}

/**
 * Resize's scale and output size per axis: from scales (out = ⌊in · scale⌋, or of the cropped
 * length with tf_crop_and_resize) or from sizes, on the axes listed in `axes` (opset 18; others
 * keep their size); with sizes, keep_aspect_ratio_policy not_larger / not_smaller scales every
 * listed axis by the smallest / largest ratio.
 */
function resizePlan(ctx: NodeContext, x: Tensor, transform: string): AxisResize[] {
  const [roiIn, scalesIn, sizesIn] =
    ctx.opset < 11
      ? [undefined, ctx.values(1), undefined]
      : [ctx.values(1), ctx.values(2), ctx.values(3)];
  const scales = scalesIn?.length ? scalesIn : undefined;
  const sizes = sizesIn?.length ? sizesIn : undefined;
  ctx.check(
    (scales === undefined) !== (sizes === undefined),
    () => 'give exactly one of scales and sizes',
  );
  const axes = (ctx.ints('axes') ?? x.shape.map((_, i) => i)).map((a) => axisOf(ctx, a, x.ndim));
  const given = (scales ?? sizes) as number[];
  ctx.check(
    given.length === axes.length,
    () =>
      `scales/sizes need ${axes.length} values for input shape [${x.shape}], got ${given.length}`,
  );
  const policy = ctx.string('keep_aspect_ratio_policy', 'stretch');
  const ratios = sizes ? axes.map((a, k) => sizes[k] / x.shape[a]) : [];
  const kept = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
  return x.shape.map((n, i): AxisResize => {
    const k = axes.indexOf(i);
    const roi: [number, number] =
      roiIn?.length && k >= 0 ? [roiIn[k], roiIn[k + axes.length]] : [0, 1];
    if (k < 0) return { inSize: n, outSize: n, resizedLength: n, scale: 1, roi };
    if (sizes) {
      const scale = policy === 'stretch' ? sizes[k] / n : kept;
      const outSize = policy === 'stretch' ? sizes[k] : Math.round(kept * n);
      return { inSize: n, outSize, resizedLength: outSize, scale, roi };
    }
    const crop = transform === 'tf_crop_and_resize' ? roi[1] - roi[0] : 1;
    const length = n * crop * given[k];
    return { inSize: n, outSize: Math.floor(length), resizedLength: length, scale: given[k], roi };
  });
}

/** Resize from opset 11 on (roi, scales, sizes inputs), and opset 10 (scales only). */
function resize(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  ctx.check(ctx.int('antialias', 0) === 0, () => 'antialias is not supported');
  const transform =
    ctx.opset < 11 ? 'asymmetric' : ctx.string('coordinate_transformation_mode', 'half_pixel');
  const axes = resizePlan(ctx, x, transform);
  return resizeAxes(ctx, x, axes, {
    mode: ctx.string('mode', 'nearest'),
    transform,
    nearestMode: ctx.opset < 11 ? 'floor' : ctx.string('nearest_mode', 'round_prefer_floor'),
    cubicA: ctx.float('cubic_coeff_a', -0.75),
    excludeOutside: ctx.int('exclude_outside', 0) === 1,
    extrapolation: ctx.float('extrapolation_value', 0),
  });
}

/** Upsample (deprecated): scales as an attribute (opset 7) or input (9), asymmetric sampling. */
function upsample(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const scales = (ctx.opset < 9 ? ctx.floats('scales') : ctx.values(1)) ?? [];
  ctx.check(scales.length === x.ndim, () => `scales [${scales}] need ${x.ndim} values`);
  const axes = x.shape.map((n, i): AxisResize => ({
    inSize: n,
    outSize: Math.floor(n * scales[i]),
    resizedLength: n * scales[i],
    scale: scales[i],
    roi: [0, 1],
  }));
  const mode = ctx.string('mode', 'nearest');
  return resizeAxes(ctx, x, axes, {
    mode: mode === 'bilinear' ? 'linear' : mode,
    transform: 'asymmetric',
    nearestMode: 'floor',
    cubicA: -0.75,
    excludeOutside: false,
    extrapolation: 0,
  });
}

/** Resampling operators. */
export const resizeOps: OnnxOpTable = {
  Resize: resize,
  Upsample: upsample,
};
