import type { AxisMap, ChannelDims } from '../backend/backend.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, pow, sub } from './arithmetic.js';
import { mapAxis } from './axis-map.js';
import { record } from '../autograd/node.js';
import { reshape } from './reshape.js';
import { reciprocal, sqrt } from './unary.js';
import { checkFloat, empty, uninitialized } from './util.js';
import { traced } from './trace.js';

/** Options of the norms that end with a learned scale and shift. */
export interface AffineNormOptions {
  /** Scale γ, multiplied in after normalising (none when omitted or null). */
  weight?: Tensor | null;
  /** Shift β, added after the scale (none when omitted or null). */
  bias?: Tensor | null;
  /** Added to the variance before its square root (default 1e-5). */
  eps?: number;
}

/** Options of `batchNorm`. */
export interface BatchNormOptions extends AffineNormOptions {
  /** Normalise with the batch's statistics and update the running ones (default false). */
  training?: boolean;
  /**
   * Weight of the batch's statistics in the running update (default 0.1). PyTorch's null
   * (a cumulative average) is refused: it needs the count of batches seen, which only a layer keeps.
   */
  momentum?: number | null;
}

/** Options of `instanceNorm`. */
export interface InstanceNormOptions extends AffineNormOptions {
  /** Per-channel running mean, updated in place when useInputStats (optional). */
  runningMean?: Tensor | null;
  /** Per-channel running variance, updated in place when useInputStats (optional). */
  runningVar?: Tensor | null;
  /** Normalise each instance with its own statistics (default true), else with the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running update (default 0.1). */
  momentum?: number;
}

/** Options of `localResponseNorm`. */
export interface LocalResponseNormOptions {
  /** Multiplier of the window average (default 1e-4). */
  alpha?: number;
  /** Exponent (default 0.75). */
  beta?: number;
  /** Additive constant (default 1). */
  k?: number;
}

/**
 * Batch normalization, as `F.batch_norm`: each channel (dim 1) of x [N, C, ...] is normalised by
 * its mean and variance over the batch and spatial dims, then scaled by weight and shifted by bias
 * (each [C]). In training the batch's statistics are used (biased variance), and runningMean and
 * runningVar, when given, move toward them in place: r ← (1 − momentum)·r + momentum·batch, with
 * the unbiased batch variance, as PyTorch. In eval (training false) the running statistics are
 * used. Shape: x's shape.
 *
 * @example
 * const runningMean = zeros([16]), runningVar = ones([16]);
 * batchNorm(x, runningMean, runningVar, { weight, bias, training: true }); // x [8, 16, 28, 28]
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const { weight, bias, training = false, momentum = 0.1, eps = 1e-5 } = options;
  const op = 'batchNorm';
  checkInput(x, op, 2, 'N, C, ...');
  checkPerChannel(x, op, { weight, bias, runningMean, runningVar });
  checkRunningPair(runningMean, runningVar, op);
  const paramShape = channelShape(x);
  if (!training) {
    const out = scaleAndShift(
      withRunningStats(x, runningMean, runningVar, eps, op),
      weight,
      bias,
      paramShape,
    );
    return traced(op, out, [x, weight, bias, runningMean, runningVar], { eps });
  }
  check(
    momentum !== null,
    op,
    () =>
      'momentum null (a cumulative moving average) needs the number of batches seen; pass momentum = 1 / batchesSeen instead',
  );
  const count = x.size / x.shape[1];
  check(
    count > 1,
    op,
    () => `expected more than 1 value per channel when training, got input shape ${fmt(x.shape)}`,
  );
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const stats = normalizeOverAxes(x, axes, eps);
  if (runningMean && runningVar) {
    trackRunningStats(runningMean, runningVar, stats, count, momentum);
  }
  const out = scaleAndShift(stats.normalized, weight, bias, paramShape);
  return traced('batchNormTraining', out, [x, weight, bias], { eps });
}

/**
 * Instance normalization, as `F.instance_norm`: each channel of each sample of x [N, C, ...spatial]
 * is normalised by its own mean and (biased) variance over the spatial dims, then scaled by weight
 * and shifted by bias (each [C]). Given running statistics move in place toward the per-channel
 * average over the batch (unbiased variances); with useInputStats false they are used instead.
 * Shape: x's shape.
 *
 * @example instanceNorm(x, { weight, bias }) // x [2, 3, 32, 32]
 */
export function instanceNorm(x: Tensor, options: InstanceNormOptions = {}): Tensor {
  const { runningMean, runningVar, weight, bias } = options;
  const { useInputStats = true, momentum = 0.1, eps = 1e-5 } = options;
  const op = 'instanceNorm';
  checkInput(x, op, 3, 'N, C, ...spatial');
  checkPerChannel(x, op, { weight, bias, runningMean, runningVar });
  checkRunningPair(runningMean, runningVar, op);
  const paramShape = channelShape(x);
  if (!useInputStats) {
    return scaleAndShift(
      withRunningStats(x, runningMean, runningVar, eps, op),
      weight,
      bias,
      paramShape,
    );
  }
  const spatial = x.size / (x.shape[0] * x.shape[1]);
  check(
    spatial > 1,
    op,
    () =>
      `expected more than 1 spatial element when using input statistics, got input shape ${fmt(x.shape)}`,
  );
  const axes = x.shape.map((_, i) => i).slice(2);
  const stats = normalizeOverAxes(x, axes, eps);
  if (runningMean && runningVar) {
    trackRunningStats(runningMean, runningVar, stats, spatial, momentum);
  }
  const out = scaleAndShift(stats.normalized, weight, bias, paramShape);
  return traced(op, out, [x, weight, bias], { eps });
}

/**
 * Group normalization, as `F.group_norm`: the C channels of x [N, C, ...] are split into numGroups
 * groups of C / numGroups consecutive channels; each group of each sample is normalised by its
 * mean and (biased) variance, then each channel scaled by weight and shifted by bias (each [C]).
 * Shape: x's shape.
 *
 * @example groupNorm(x, 8, { weight, bias }) // x [2, 32, 16, 16]: 8 groups of 4 channels
 */
export function groupNorm(x: Tensor, numGroups: number, options: AffineNormOptions = {}): Tensor {
  const { weight, bias, eps = 1e-5 } = options;
  const op = 'groupNorm';
  checkInput(x, op, 2, 'N, C, ...');
  const channels = x.shape[1];
  check(
    Number.isInteger(numGroups) && numGroups > 0 && channels % numGroups === 0,
    op,
    () =>
      `numGroups must be a positive integer that divides the ${channels} channels, got numGroups ${numGroups} for input shape ${fmt(x.shape)}${channelsLastHint(x, (last) => last % numGroups === 0)}`,
  );
  checkPerChannel(x, op, { weight, bias });
  const grouped = reshape(x, [x.shape[0], numGroups, channels === 0 ? 0 : -1]);
  const { normalized } = normalizeOverAxes(grouped, [2], eps);
  const out = scaleAndShift(reshape(normalized, x.shape), weight, bias, channelShape(x));
  return traced(op, out, [x, weight, bias], { numGroups, eps });
}

/**
 * Layer normalization, as `F.layer_norm`: x is normalised over its last dims, which must equal
 * normalizedShape, by their mean and (biased) variance, then scaled by weight and shifted by bias
 * (each of normalizedShape, elementwise). Shape: x's shape.
 *
 * @example layerNorm(x, [768], { weight, bias }) // x [batch, tokens, 768]
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | readonly number[],
  options: AffineNormOptions = {},
): Tensor {
  const { weight, bias, eps = 1e-5 } = options;
  const op = 'layerNorm';
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  checkFloat(x, op);
  const lead = x.ndim - shape.length;
  check(
    shape.length > 0 && lead >= 0 && sameShape(x.shape.slice(lead), shape),
    op,
    () =>
      `normalizedShape ${fmt(shape)} must be non-empty and equal the last ${shape.length} dims of the input, got input shape ${fmt(x.shape)}`,
  );
  for (const [name, t] of Object.entries({ weight, bias })) {
    if (!t) continue;
    checkFloat(t, op, name);
    check(
      sameShape(t.shape, shape),
      op,
      () => `${name} has shape ${fmt(t.shape)} but normalizedShape is ${fmt(shape)}`,
    );
  }
  const axes = shape.map((_, i) => lead + i);
  const { normalized } = normalizeOverAxes(x, axes, eps);
  return traced(op, scaleAndShift(normalized, weight, bias, shape), [x, weight, bias], {
    axis: lead,
    eps,
  });
}

/**
 * Local response normalization across channels, as `F.local_response_norm`: for x [N, C, ...],
 * avg[c] is the sum of x² over channels c − ⌊size/2⌋ .. c + ⌊(size−1)/2⌋ (zero outside 0..C−1)
 * divided by size, and the result is x / (k + alpha·avg)^beta. Shape: x's shape.
 *
 * @example localResponseNorm(x, 5, { alpha: 1e-4, beta: 0.75, k: 2 }) // AlexNet's setting
 */
export function localResponseNorm(
  x: Tensor,
  size: number,
  options: LocalResponseNormOptions = {},
): Tensor {
  const { alpha = 1e-4, beta = 0.75, k = 1 } = options;
  const op = 'localResponseNorm';
  checkInput(x, op, 3, 'N, C, ...');
  check(
    Number.isInteger(size) && size > 0,
    op,
    () => `size must be a positive integer, got ${size}`,
  );
  const average = mapAxis(mul(x, x), 1, channelWindow(x.shape[1], size), op);
  const out = div(x, pow(add(mul(average, alpha), k), beta));
  return traced(op, out, [x], { size, alpha, beta, k });
}

/** The batch statistics of a normalisation (kept dims) and the normalised tensor. */
interface NormalizedStats {
  normalized: Tensor;
  mean: Tensor;
  variance: Tensor;
}

/**
 * x as [outer, channels, inner], where `channels` spans the axes not in `axes`: every norm
 * reduces over leading and trailing axes around one contiguous block it keeps.
 */
function channelDims(shape: readonly number[], axes: readonly number[]): ChannelDims {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const [from, to] = kept.length ? [kept[0], kept[kept.length - 1] + 1] : [0, 0];
  if (kept.length !== to - from) {
    throw new Error(`normalize: kept axes [${kept}] are not contiguous (an internal error)`);
  }
  const size = (a: number, b: number) => shape.slice(a, b).reduce((p, n) => p * n, 1);
  return { outer: size(0, from), channels: size(from, to), inner: size(to, shape.length) };
}

/**
 * The helper every norm shares: normalises x over `axes` with its own mean and biased variance,
 * returning those statistics (keepdim) too. One kernel computes them and x̂; one recorded rule
 * gives the gradient, dx = (g − mean(g) − x̂·mean(g·x̂)) / √(var + eps), in two passes.
 */
function normalizeOverAxes(x: Tensor, axes: readonly number[], eps: number): NormalizedStats {
  const dims = channelDims(x.shape, axes);
  const statShape = x.shape.map((n, i) => (axes.includes(i) ? 1 : n));
  const [xhat, m, v] = [
    uninitialized(x.shape, x.dtype),
    empty(statShape, x.dtype),
    empty(statShape, x.dtype),
  ];
  getBackend().normalize(x.data, dims, eps, xhat.data, m.data, v.data);
  const invStd = v.data.map((value) => 1 / Math.sqrt(value + eps));
  const normalized = record('normalize', xhat, [x], (g) => {
    const dx = uninitialized(g.shape, g.dtype);
    getBackend().normalizeBackward(g.data, xhat.data, invStd, dims, dx.data);
    return [dx];
  });
  return { normalized, mean: m, variance: v };
}

/** (x − mean) / √(variance + eps), broadcasting the statistics. */
function standardize(x: Tensor, m: Tensor, v: Tensor, eps: number): Tensor {
  return mul(sub(x, m), reciprocal(sqrt(add(v, eps))));
}

/** Standardises with given per-channel running statistics (eval-mode batch and instance norm). */
function withRunningStats(
  x: Tensor,
  runningMean: Tensor | null | undefined,
  runningVar: Tensor | null | undefined,
  eps: number,
  op: string,
): Tensor {
  check(
    !!runningMean && !!runningVar,
    op,
    () =>
      'normalising with running statistics (eval mode) needs runningMean and runningVar, got null; pass them or use batch statistics',
  );
  const shape = channelShape(x);
  return standardize(x, reshape(runningMean, shape), reshape(runningVar, shape), eps);
}

/**
 * Moves running statistics toward the batch's, in place: r ← (1 − momentum)·r + momentum·b, where
 * b averages the statistics [K, C] (K = 1 for batch norm, N for instance norm) over K, each
 * variance made unbiased for `count` values, as PyTorch.
 */
function trackRunningStats(
  runningMean: Tensor,
  runningVar: Tensor,
  stats: NormalizedStats,
  count: number,
  momentum: number,
): void {
  const channels = runningMean.size;
  const rows = stats.mean.size / channels;
  const unbiased = count / (count - 1);
  for (let c = 0; c < channels; c++) {
    let m = 0;
    let v = 0;
    for (let r = 0; r < rows; r++) {
      m += stats.mean.data[r * channels + c];
      v += stats.variance.data[r * channels + c] * unbiased;
    }
    runningMean.data[c] = (1 - momentum) * runningMean.data[c] + (momentum * m) / rows;
    runningVar.data[c] = (1 - momentum) * runningVar.data[c] + (momentum * v) / rows;
  }
}

/** y·weight + bias, with weight and bias viewed as `shape` to broadcast against y. */
function scaleAndShift(
  y: Tensor,
  weight: Tensor | null | undefined,
  bias: Tensor | null | undefined,
  shape: readonly number[],
): Tensor {
  const scaled = weight ? mul(y, reshape(weight, shape)) : y;
  return bias ? add(scaled, reshape(bias, shape)) : scaled;
}

/** [C, 1, ..., 1]: a per-channel tensor's shape for broadcasting against x [N, C, ...]. */
function channelShape(x: Tensor): number[] {
  return [x.shape[1], ...x.shape.slice(2).map(() => 1)];
}

function checkInput(x: Tensor, op: string, minNdim: number, layout: string): void {
  checkFloat(x, op);
  check(
    x.ndim >= minNdim,
    op,
    () => `expected input of at least ${minNdim} dimensions (${layout}), got shape ${fmt(x.shape)}`,
  );
}

/** Checks the given per-channel tensors (weight, bias, running stats): float, shape [C]. */
function checkPerChannel(
  x: Tensor,
  op: string,
  tensors: Record<string, Tensor | null | undefined>,
): void {
  const channels = x.shape[1];
  for (const [name, t] of Object.entries(tensors)) {
    if (!t) continue;
    checkFloat(t, op, name);
    check(
      t.ndim === 1 && t.size === channels,
      op,
      () =>
        `${name} has shape ${fmt(t.shape)} but the input has ${channels} channels (dim 1 of input shape ${fmt(x.shape)}), expected [${channels}]${channelsLastHint(x, (last) => last === t.size)}`,
    );
  }
}

function checkRunningPair(
  runningMean: Tensor | null | undefined,
  runningVar: Tensor | null | undefined,
  op: string,
): void {
  check(
    (runningMean == null) === (runningVar == null),
    op,
    () =>
      `runningMean and runningVar must be given together (or both null to track nothing), got only ${runningMean ? 'runningMean' : 'runningVar'}`,
  );
}

/**
 * A hint for channel errors when the last dim would have fitted as the channels: the likely cause
 * is channels-last (NHWC) data, which NCHW ops read wrongly without failing otherwise.
 */
function channelsLastHint(x: Tensor, fits: (last: number) => boolean): string {
  if (x.ndim < 3 || !fits(x.shape[x.ndim - 1])) return '';
  const toChannelsFirst = [0, x.ndim - 1, ...x.shape.slice(1, -1).map((_, i) => i + 1)];
  return `; if the data is channels-last (NHWC), convert it with x.permute([${toChannelsFirst.join(', ')}])`;
}

/**
 * The map that averages, for each of `channels` channels, the window of `size` channels from
 * ⌊size/2⌋ before to ⌊(size−1)/2⌋ after (positions outside read zero, still dividing by size).
 */
function channelWindow(channels: number, size: number): AxisMap {
  const before = Math.floor(size / 2);
  const index = new Int32Array(channels * size);
  for (let c = 0; c < channels; c++) {
    for (let t = 0; t < size; t++) {
      const source = c - before + t;
      index[c * size + t] = source >= 0 && source < channels ? source : -1;
    }
  }
  return { taps: size, index, weight: new Float64Array(index.length).fill(1 / size), fill: 0 };
}
