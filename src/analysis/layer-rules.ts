/**
 * What summary() knows about each kind of layer: its multiply-adds and how it changes the
 * receptive field, read from the layer's class and options, so analysis/ needs no hook in nn/.
 */
import type { Module } from '../nn/module.js';
import {
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose3d,
} from '../nn/layers/conv.js';
import { Linear } from '../nn/layers/linear.js';
import {
  BatchNorm1d,
  BatchNorm2d,
  BatchNorm3d,
  GroupNorm,
  InstanceNorm1d,
  InstanceNorm2d,
  InstanceNorm3d,
  LayerNorm,
} from '../nn/layers/norm.js';
import {
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AdaptiveMaxPool3d,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  LPPool1d,
  LPPool2d,
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
} from '../nn/layers/pool.js';
import { PixelShuffle, PixelUnshuffle, Upsample } from '../nn/layers/resample.js';
import type { ConvPadding } from '../ops/conv.js';
import { slidingWindows } from '../ops/pool-windows.js';
import { tuple } from '../ops/util.js';
import { numel, type Shape } from '../tensor/shape.js';
import {
  adaptiveWindow,
  throughResize,
  throughTransposedWindow,
  throughWindow,
  type FieldWindow,
  type ReceptiveField,
} from './receptive-field.js';

/** What one layer call contributes to the summary. */
export interface LayerFacts {
  macs: number;
  /** The field of the output's units; null when the output has no spatial dims. */
  field: ReceptiveField | null;
  /** Whether the layer slides a local window (conv, pooling), so its field is worth reporting. */
  windowed: boolean;
  /** An approximation or a problem worth a warning. */
  note?: string;
}

type Class = abstract new (...args: never[]) => Module;

/** A type guard for instances of any of `classes` (subclasses included). */
const is =
  <L extends readonly Class[]>(classes: L) =>
  (m: Module): m is InstanceType<L[number]> =>
    classes.some((c) => m instanceof c);

const CONVS = [Conv1d, Conv2d, Conv3d] as const;
const TRANSPOSED = [ConvTranspose1d, ConvTranspose2d, ConvTranspose3d] as const;
const POOLS = [
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  LPPool1d,
  LPPool2d,
] as const;
const ADAPTIVE = [
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AdaptiveMaxPool3d,
] as const;
const NORMS = [
  BatchNorm1d,
  BatchNorm2d,
  BatchNorm3d,
  InstanceNorm1d,
  InstanceNorm2d,
  InstanceNorm3d,
  GroupNorm,
  LayerNorm,
] as const;

type Conv = InstanceType<(typeof CONVS)[number]>;
type ConvTranspose = InstanceType<(typeof TRANSPOSED)[number]>;
type Pool = InstanceType<(typeof POOLS)[number]>;
const isConv = is(CONVS);
const isConvTranspose = is(TRANSPOSED);
const isPool = is(POOLS);
const isAdaptivePool = is(ADAPTIVE);
const isNorm = is(NORMS);

/**
 * The multiply-adds and output field of one call of leaf `m` from `inShape` to `outShape`, given
 * the field of its input (null when unknown or not spatial).
 */
export function describeLayer(
  m: Module,
  inShape: Shape,
  outShape: Shape,
  fieldIn: ReceptiveField | null,
): LayerFacts {
  const macs = multiplyAdds(m, inShape, outShape);
  const spatialIn = inShape.slice(2);
  const spatialOut = outShape.slice(2);
  if (!fieldIn || outShape.length < 3 || spatialOut.length !== spatialIn.length) {
    return { macs, field: null, windowed: false };
  }
  if (isConv(m)) return { macs, field: throughWindow(fieldIn, convWindow(m)), windowed: true };
  if (isConvTranspose(m)) {
    return { macs, field: throughTransposedWindow(fieldIn, transposedWindow(m)), windowed: true };
  }
  if (isPool(m))
    return { macs, field: throughWindow(fieldIn, poolWindow(m, spatialIn.length)), windowed: true };
  if (isAdaptivePool(m)) {
    const global = spatialOut.every((n) => n === 1);
    return {
      macs,
      field: throughWindow(fieldIn, adaptiveWindow(spatialIn, spatialOut)),
      windowed: !global,
    };
  }
  if (m instanceof PixelUnshuffle) {
    return {
      macs,
      field: throughWindow(fieldIn, blockWindow(spatialIn, spatialOut)),
      windowed: true,
    };
  }
  if (m instanceof Upsample || m instanceof PixelShuffle) {
    return { macs, field: throughResize(fieldIn, spatialIn, spatialOut), windowed: false };
  }
  if (spatialIn.every((n, i) => n === spatialOut[i])) {
    return { macs, field: fieldIn, windowed: false };
  }
  // Another layer changed the spatial size: estimate from the sizes, and say so.
  const shrinks = spatialOut.every((n, i) => n <= spatialIn[i]);
  const field = shrinks
    ? throughWindow(fieldIn, blockWindow(spatialIn, spatialOut))
    : throughResize(fieldIn, spatialIn, spatialOut);
  return {
    macs,
    field,
    windowed: shrinks,
    note: `it changes the spatial size from ${spatialIn.join('×')} to ${spatialOut.join('×')} without a window summary() knows, so its receptive field is estimated as ${shrinks ? 'non-overlapping blocks' : 'a nearest-neighbour resize'}`,
  };
}

/**
 * The sliding window of a convolution or pooling layer over `d` spatial dims (kernel, stride,
 * dilation, padding before the first element), or null for any other layer (transposed and
 * adaptive layers included).
 *
 * @example layerWindow(new MaxPool2d(2), 2) // { kernel: [2, 2], stride: [2, 2], dilation: [1, 1], padding: [0, 0] }
 */
export function layerWindow(m: Module, d: number): FieldWindow | null {
  if (isConv(m)) return convWindow(m);
  if (isPool(m)) return poolWindow(m, d);
  return null;
}

/** Multiply-adds of one call, by the conventions documented in LayerSummary.macs. */
function multiplyAdds(m: Module, inShape: Shape, outShape: Shape): number {
  // Weight [C_out, C_in/groups, ...k] (conv, linear) or [C_in, C_out/groups, ...k] (transposed):
  // each output element (input element, transposed) meets shape[1]·∏k weights.
  if (isConv(m) || m instanceof Linear) return numel(outShape) * numel(m.weight.shape.slice(1));
  if (isConvTranspose(m)) return numel(inShape) * numel(m.weight.shape.slice(1));
  if (isNorm(m)) return numel(outShape);
  return 0;
}

function convWindow(m: Conv): FieldWindow {
  const d = m.kernelSize.length;
  const name = m.constructor.name;
  const { stride = 1, dilation = 1, padding = 0 } = m.options;
  const dilations = tuple(dilation, d, name, 'dilation', 1);
  return {
    kernel: m.kernelSize,
    stride: tuple(stride, d, name, 'stride', 1),
    dilation: dilations,
    padding: paddingBefore(padding, m.kernelSize, dilations),
  };
}

function transposedWindow(m: ConvTranspose): FieldWindow {
  const d = m.kernelSize.length;
  const name = m.constructor.name;
  const { stride = 1, dilation = 1, padding = 0 } = m.options;
  return {
    kernel: m.kernelSize,
    stride: tuple(stride, d, name, 'stride', 1),
    dilation: tuple(dilation, d, name, 'dilation', 1),
    padding: tuple(padding, d, name, 'padding', 0),
  };
}

function poolWindow(m: Pool, d: number): FieldWindow {
  return slidingWindows(m.options, d, m.constructor.name);
}

/** The padding before the first element, per dim, from any form ConvPadding allows. */
function paddingBefore(padding: ConvPadding, kernel: number[], dilation: number[]): number[] {
  // 'same' puts the smaller half first, as PyTorch does.
  if (padding === 'same') return kernel.map((k, i) => Math.floor((dilation[i] * (k - 1)) / 2));
  if (padding === 'valid') return kernel.map(() => 0);
  if (typeof padding === 'number') return kernel.map(() => padding);
  return padding.map((p) => (typeof p === 'number' ? p : p[0]));
}

/** The window of a layer that cuts its input into blocks of in/out (like pixel unshuffle). */
function blockWindow(inSize: number[], outSize: number[]): FieldWindow {
  const block = inSize.map((n, i) => Math.max(1, Math.floor(n / outSize[i])));
  return {
    kernel: block,
    stride: block,
    dilation: inSize.map(() => 1),
    padding: inSize.map(() => 0),
  };
}
