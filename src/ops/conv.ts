import type { ConvGeometry } from '../backend/backend.js';
import type { FusedActivation } from '../backend/fused-activation.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt, FoveaError } from '../tensor/errors.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from './arithmetic.js';
import { pad } from './pad.js';
import { reshape } from './reshape.js';
import { checkFloat, empty, tuple, uninitialized } from './util.js';
import { traced } from './trace.js';
import { checkActivation } from './fused-activation.js';

// ─── Geometry, shared by conv, conv transpose, unfold and fold ──────────────────────────────────

/** A window sliding over the spatial dims: per dim its size, step, spacing and padding. */
export interface SlidingWindow {
  kernel: readonly number[];
  stride: readonly number[];
  dilation: readonly number[];
  padBefore: readonly number[];
  /** May be negative: conv transpose models outputPadding as input rows past the last window. */
  padAfter: readonly number[];
}

/**
 * The geometry of `window` sliding over an input [batch, channels, ...inSize]. Output positions
 * per dim: ⌊(in + padBefore + padAfter − dilation·(k − 1) − 1) / stride⌋ + 1; throws (naming
 * `op`) when the dilated kernel is larger than the padded input.
 */
export function slidingGeometry(
  op: string,
  batch: number,
  channels: number,
  inSize: Shape,
  window: SlidingWindow,
): ConvGeometry {
  const { kernel, stride, dilation, padBefore, padAfter } = window;
  const span = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  const padded = inSize.map((n, i) => n + padBefore[i] + padAfter[i]);
  check(
    span.every((s, i) => s <= padded[i]),
    op,
    () =>
      `kernel ${fmt(kernel)} with dilation ${fmt(dilation)} spans ${fmt(span)}, larger than the padded input ${fmt(padded)} (input ${fmt(inSize)} plus padding)`,
  );
  const outSize = padded.map((n, i) => Math.floor((n - span[i]) / stride[i]) + 1);
  return { batch, channels, inSize, outSize, kernel, stride, padBefore, dilation };
}

/**
 * y = conv(x, weight) (+ bias per output channel), then `activation` if given: x
 * [N, geom.channels, ...inSize], weight [C_out, channels/groups, ...kernel] → [N, C_out, ...outSize].
 * Not recorded.
 */
export function convolve(
  x: Tensor,
  weight: Tensor,
  geom: ConvGeometry,
  groups: number,
  bias?: Tensor | null,
  activation?: FusedActivation,
): Tensor {
  const outChannels = weight.shape[0];
  const y = uninitialized([geom.batch, outChannels, ...geom.outSize], x.dtype);
  const conv = { ...geom, groups, outChannels };
  getBackend().conv(x.data, weight.data, conv, y.data, bias?.data, activation);
  return y;
}

/**
 * The adjoint of `convolve` in x: y [N, C_out, ...outSize] → [N, geom.channels, ...inSize].
 * It is conv's input gradient and conv transpose's forward.
 */
export function convolveAdjoint(
  y: Tensor,
  weight: Tensor,
  geom: ConvGeometry,
  groups: number,
): Tensor {
  const x = empty([geom.batch, geom.channels, ...geom.inSize], y.dtype);
  getBackend().convAdjoint(
    y.data,
    weight.data,
    { ...geom, groups, outChannels: weight.shape[0] },
    x.data,
  );
  return x;
}

/**
 * d⟨y, convolve(x, weight)⟩ / d weight, of shape `weightShape`: conv transpose's weight gradient
 * (conv's comes from `convBackward`).
 */
export function convolveWeightGrad(
  x: Tensor,
  y: Tensor,
  geom: ConvGeometry,
  groups: number,
  weightShape: Shape,
): Tensor {
  const grad = empty(weightShape, x.dtype);
  getBackend().convWeightGrad(
    x.data,
    y.data,
    { ...geom, groups, outChannels: weightShape[0] },
    grad.data,
  );
  return grad;
}

/**
 * The gradients of y = convolve(x, weight, ..., bias, activation) from gy, as one backend call
 * (`convBackward`): gy through the activation's derivative once, then each of x's, the weight's
 * and the bias's gradient that `wanted` asks for (null for the others).
 */
function convGradients(
  gy: Tensor,
  y: Tensor,
  x: Tensor,
  weight: Tensor,
  geom: ConvGeometry,
  groups: number,
  activation: FusedActivation | undefined,
  wanted: readonly boolean[],
): (Tensor | null)[] {
  const shapes = [x.shape, weight.shape, [weight.shape[0]]];
  const [gin, gw, gbias] = wanted.map((want, i) =>
    want ? uninitialized(shapes[i], x.dtype) : null,
  );
  getBackend().convBackward({
    x: x.data,
    w: weight.data,
    gout: gy.data,
    geom: { ...geom, groups, outChannels: weight.shape[0] },
    activation: activation && { kind: activation, y: y.data },
    gin: gin?.data,
    gw: gw?.data,
    gbias: gbias?.data,
  });
  return [gin, gw, gbias];
}

// ─── Checks shared by conv and conv transpose ───────────────────────────────────────────────────

const spatialNames = [['L'], ['H', 'W'], ['D', 'H', 'W']];
const sampleNames = ['sequence', 'image', 'volume'];

/** `[N, C, H, W]` for d = 2. */
function inputLayout(d: number): string {
  return `[N, C, ${spatialNames[d - 1].join(', ')}]`;
}

/** `kH, kW` for d = 2. */
export function kernelLayout(d: number): string {
  return spatialNames[d - 1].map((s) => `k${s}`).join(', ');
}

/**
 * Checks the dtypes and ranks of a d-dimensional conv's input and weight (`weightLayout` names
 * the weight's dims), with a hint for an unbatched input.
 */
export function checkConvOperands(
  op: string,
  d: number,
  x: Tensor,
  weight: Tensor,
  weightLayout: string,
): void {
  checkFloat(x, op);
  checkFloat(weight, op, 'weight');
  const unbatched =
    x.ndim === d + 1 ? `; for a single ${sampleNames[d - 1]} use x.unsqueeze(0)` : '';
  check(
    x.ndim === d + 2,
    op,
    () =>
      `expected input of ${d + 2} dimensions ${inputLayout(d)}, got shape ${fmt(x.shape)}${unbatched}`,
  );
  check(
    weight.ndim === d + 2,
    op,
    () => `expected weight of ${d + 2} dimensions ${weightLayout}, got shape ${fmt(weight.shape)}`,
  );
  check(
    x.dtype === weight.dtype,
    op,
    () => `input is ${x.dtype} but weight is ${weight.dtype}; convert one with .to('float32')`,
  );
}

/** Checks that groups is a positive integer dividing the weight dim that holds whole groups. */
export function checkGroups(op: string, groups: number, weight: Tensor, dimName: string): void {
  check(
    Number.isInteger(groups) && groups >= 1,
    op,
    () => `groups must be a positive integer, got ${groups}`,
  );
  check(
    weight.shape[0] % groups === 0,
    op,
    () =>
      `groups ${groups} must divide the ${weight.shape[0]} ${dimName} (dim 0 of weight ${fmt(weight.shape)})`,
  );
}

/**
 * Checks that x has the `expected` channels; when its last dim has them instead, the input is
 * probably channels-last (NHWC) and the message says how to convert it.
 */
export function checkInputChannels(
  op: string,
  x: Tensor,
  expected: number,
  weight: Tensor,
  groups: number,
): void {
  const channels = x.shape[1];
  if (channels === expected) return;
  const d = x.ndim - 2;
  const toFirst = [0, d + 1, ...Array.from({ length: d }, (_, i) => i + 1)];
  check(
    x.shape[x.ndim - 1] !== expected,
    op,
    () =>
      `input ${fmt(x.shape)} looks channels-last: its last dim is ${expected}, the channels weight ${fmt(weight.shape)} expects, but dim 1 is ${channels}; fovea is channels-first ${inputLayout(d)}, convert with x.permute([${toFirst.join(', ')}])`,
  );
  const grouping = groups > 1 ? `, groups ${groups}` : '';
  const indivisible =
    channels % groups !== 0 ? `; groups ${groups} does not divide ${channels}` : '';
  throw new FoveaError(
    op,
    `input has ${channels} channels but weight expects ${expected} (weight shape ${fmt(weight.shape)}${grouping})${indivisible}`,
  );
}

/** Checks that bias, when given, holds one value per output channel in the input's dtype. */
export function checkBias(
  op: string,
  bias: Tensor | null | undefined,
  x: Tensor,
  outChannels: number,
): void {
  if (!bias) return;
  check(
    bias.ndim === 1 && bias.shape[0] === outChannels,
    op,
    () =>
      `bias must have shape [${outChannels}] (one value per output channel), got ${fmt(bias.shape)}`,
  );
  check(
    bias.dtype === x.dtype,
    op,
    () => `bias is ${bias.dtype} but input is ${x.dtype}; convert one with .to('float32')`,
  );
}

/** out + bias broadcast over the batch and spatial dims (out is [N, C, ...]). */
export function addBias(out: Tensor, bias: Tensor | null | undefined): Tensor {
  if (!bias) return out;
  return add(out, reshape(bias, [bias.size, ...out.shape.slice(2).map(() => 1)]));
}

// ─── Convolution ────────────────────────────────────────────────────────────────────────────────

/** How nn.ConvNd fills the border: with zeros, a mirror, the edge value, or a wrap-around. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/**
 * Padding of a convolution: one amount for every side; per spatial dim (outermost first) either an
 * amount for both sides or a `[before, after]` pair (e.g. `[[0, 1], [2, 2]]`: 0 rows on top, 1 at
 * the bottom, 2 columns each side); 'valid' (none); or 'same' (output size = input size; stride
 * must be 1; an odd total puts the extra row at the end, as PyTorch does).
 */
export type ConvPadding =
  number | 'same' | 'valid' | readonly (number | readonly [number, number])[];

/** Options of `conv1d`, `conv2d` and `conv3d`: PyTorch's keyword arguments and defaults. */
export interface ConvOptions {
  /** Step between windows, one number or one per spatial dim (default 1). */
  stride?: number | readonly number[];
  /** See ConvPadding (default 0). */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Independent channel groups; groups = C_in is a depthwise conv (default 1). */
  groups?: number;
  /** nn.ConvNd's padding_mode (default 'zeros'). */
  paddingMode?: PaddingMode;
  /**
   * An activation applied as the output is written, as Keras's `Conv2D(activation='relu')`:
   * 'relu' or 'relu6' (default none). The result equals relu(conv(...)) or relu6(conv(...)) and
   * skips the separate pass over the output (a fovea addition; PyTorch has no such argument).
   */
  activation?: FusedActivation;
}

const paddingModes: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** The [before, after] amounts of each spatial dim. */
function resolvePadding(
  op: string,
  padding: ConvPadding,
  kernel: Shape,
  stride: readonly number[],
  dilation: readonly number[],
): { before: number[]; after: number[] } {
  const d = kernel.length;
  if (padding === 'same') {
    check(
      stride.every((s) => s === 1),
      op,
      () => `padding 'same' needs stride 1, as in PyTorch, got stride ${fmt(stride)}`,
    );
    const total = kernel.map((k, i) => dilation[i] * (k - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return { before, after: total.map((t, i) => t - before[i]) };
  }
  const amount = padding === 'valid' ? 0 : padding;
  const entries = typeof amount === 'number' ? new Array<number>(d).fill(amount) : amount;
  // A string other than 'same'/'valid' (from untyped callers) falls through to the error below.
  const pairs = Array.isArray(entries)
    ? entries.map((p) => (typeof p === 'number' ? [p, p] : p))
    : [];
  check(
    pairs.length === d &&
      pairs.every(
        (p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0),
      ),
    op,
    () =>
      `padding must be a non-negative integer, a list of ${d} (one per spatial dim: an integer or a [before, after] pair), 'same' or 'valid', got ${JSON.stringify(padding)}`,
  );
  return { before: pairs.map((p) => p[0]), after: pairs.map((p) => p[1]) };
}

/**
 * Pads x as nn.ConvNd does for a non-zero paddingMode (the conv then pads nothing), checking the
 * amounts that mode allows.
 */
function padBorder(
  op: string,
  x: Tensor,
  mode: PaddingMode,
  before: number[],
  after: number[],
): Tensor {
  const spatial = x.shape.slice(2);
  const most = before.map((b, i) => Math.max(b, after[i]));
  check(
    mode !== 'reflect' || most.every((p, i) => p < spatial[i]),
    op,
    () => `reflect padding ${fmt(most)} must be smaller than the input ${fmt(spatial)}`,
  );
  check(
    mode !== 'circular' || most.every((p, i) => p <= spatial[i]),
    op,
    () => `circular padding ${fmt(most)} must not exceed the input ${fmt(spatial)}`,
  );
  // F.pad lists (before, after) pairs from the last dim backwards.
  const lastFirst = before
    .map((b, i) => [b, after[i]])
    .reverse()
    .flat();
  return pad(x, lastFirst, { mode: mode as Exclude<PaddingMode, 'zeros'> });
}

/** The d-dimensional convolution behind conv1d/2d/3d. */
function convNd(
  d: number,
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  options: ConvOptions,
): Tensor {
  checkConvOperands(op, d, x, weight, `[C_out, C_in/groups, ${kernelLayout(d)}]`);
  const groups = options.groups ?? 1;
  checkGroups(op, groups, weight, 'output channels');
  checkInputChannels(op, x, weight.shape[1] * groups, weight, groups);
  checkBias(op, bias, x, weight.shape[0]);
  const mode = options.paddingMode ?? 'zeros';
  check(
    paddingModes.includes(mode),
    op,
    () => `paddingMode must be one of ${paddingModes.join(', ')}, got '${mode}'`,
  );
  const stride = tuple(options.stride ?? 1, d, op, 'stride', 1);
  const dilation = tuple(options.dilation ?? 1, d, op, 'dilation', 1);
  const kernel = weight.shape.slice(2);
  const { before, after } = resolvePadding(op, options.padding ?? 0, kernel, stride, dilation);
  // With nothing to pad, every mode is the plain convolution.
  const padsWithZeros = mode === 'zeros' || [...before, ...after].every((p) => p === 0);
  const input = padsWithZeros ? x : padBorder(op, x, mode, before, after);
  const none = before.map(() => 0);
  const geom = slidingGeometry(op, x.shape[0], x.shape[1], input.shape.slice(2), {
    kernel,
    stride,
    dilation,
    padBefore: padsWithZeros ? before : none,
    padAfter: padsWithZeros ? after : none,
  });
  const { activation } = options;
  checkActivation(op, activation);
  const parents = bias ? [input, weight, bias] : [input, weight];
  const y = convolve(input, weight, geom, groups, bias, activation);
  const out = record(op, y, parents, (gy) => {
    const wanted = [input, weight, bias].map((t) => t?.requiresGrad ?? false);
    return convGradients(gy, y, input, weight, geom, groups, activation, wanted);
  });
  const pads = [...geom.padBefore, ...(padsWithZeros ? after : none)];
  return traced('conv', out, [input, weight, bias], {
    stride,
    dilation,
    groups,
    pads,
    ...(activation && { activation }),
  });
}

/**
 * 1-D convolution (cross-correlation, as in PyTorch) of x [N, C_in, L] with weight
 * [C_out, C_in/groups, k], plus bias [C_out]; `F.conv1d`, with nn.Conv1d's paddingMode.
 * Shape: [N, C_out, L_out], L_out = ⌊(L + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1
 * (2·padding is before + after for a pair).
 *
 * @example conv1d(randn([2, 4, 50]), randn([8, 4, 5]), null, { padding: 'same' }) // [2, 8, 50]
 */
export function conv1d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvOptions = {},
): Tensor {
  return convNd(1, 'conv1d', x, weight, bias, options);
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch) of x [N, C_in, H, W] with weight
 * [C_out, C_in/groups, kH, kW], plus bias [C_out]; `F.conv2d`, with nn.Conv2d's paddingMode.
 * Shape: [N, C_out, H_out, W_out], H_out = ⌊(H + 2·padding − dilation·(kH − 1) − 1) / stride⌋ + 1,
 * W_out likewise (2·padding is before + after for a pair).
 *
 * @example conv2d(randn([1, 3, 32, 32]), randn([16, 3, 3, 3]), zeros([16]), { stride: 2, padding: 1 }) // [1, 16, 16, 16]
 */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvOptions = {},
): Tensor {
  return convNd(2, 'conv2d', x, weight, bias, options);
}

/**
 * 3-D convolution (cross-correlation, as in PyTorch) of x [N, C_in, D, H, W] with weight
 * [C_out, C_in/groups, kD, kH, kW], plus bias [C_out]; `F.conv3d`, with nn.Conv3d's paddingMode.
 * Shape: [N, C_out, D_out, H_out, W_out], D_out = ⌊(D + 2·padding − dilation·(kD − 1) − 1) / stride⌋ + 1,
 * H_out and W_out likewise.
 *
 * @example conv3d(randn([1, 2, 8, 8, 8]), randn([4, 2, 3, 3, 3]), null, { padding: 1 }) // [1, 4, 8, 8, 8]
 */
export function conv3d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: ConvOptions = {},
): Tensor {
  return convNd(3, 'conv3d', x, weight, bias, options);
}
