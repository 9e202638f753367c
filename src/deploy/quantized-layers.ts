import type { GroupedConv, Requantization } from '../backend/backend.js';
import type { FusedActivation } from '../backend/fused-activation.js';
import { getBackend } from '../tensor/backend-registry.js';
import { roundHalfEven } from '../backend/round.js';
import { Module } from '../nn/module.js';
import { ReLU6 } from '../nn/layers/activation.js';
import { Conv1d, Conv2d, Conv3d } from '../nn/layers/conv.js';
import { Linear } from '../nn/layers/linear.js';
import { slidingGeometry } from '../ops/conv.js';
import { traced } from '../ops/trace.js';
import { check, fmt } from '../tensor/errors.js';
import { numel } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { FusedLayer } from './fused-layer.js';
import { quantizeWeightsPerChannel, type AffineQuant, type Int8Weights } from './quant-params.js';

/** A conv that int8 quantization handles: Conv1d/2d/3d with zero padding. */
export type QuantizableConv = Conv1d | Conv2d | Conv3d;

/** A float unit that becomes one quantized layer: a conv or linear, alone or fused with its activation. */
export type QuantizableUnit = QuantizableConv | Linear | FusedLayer;

/** The activation folded into a quantized layer's output clamp. */
export type FusedActivationKind = 'none' | FusedActivation;

/** The stored numbers of a quantized layer: int8 weights, int32 bias, activation quantization. */
export interface QuantizedParams {
  weights: Int8Weights;
  /** Bias per output channel in units of input scale × weight scale. */
  bias: Int32Array;
  input: AffineQuant;
  output: AffineQuant;
}

/** Whether `m` is a conv int8 quantization can run (zero padding; 1-3 spatial dims). */
function isQuantizableConv(m: Module): m is QuantizableConv {
  const conv = m instanceof Conv1d || m instanceof Conv2d || m instanceof Conv3d;
  return conv && m.paddingMode === 'zeros';
}

/** Whether `m` becomes one quantized layer. */
export function isQuantizableUnit(m: Module): m is QuantizableUnit {
  return (
    isQuantizableConv(m) ||
    m instanceof Linear ||
    (m instanceof FusedLayer && (isQuantizableConv(m.layer) || m.layer instanceof Linear))
  );
}

/** The conv or linear inside a unit and the activation fused with it. */
export function unitParts(unit: QuantizableUnit): {
  layer: QuantizableConv | Linear;
  activation: FusedActivationKind;
} {
  if (!(unit instanceof FusedLayer)) return { layer: unit, activation: unit.activation ?? 'none' };
  return {
    layer: unit.layer as QuantizableConv | Linear,
    activation: unit.activation instanceof ReLU6 ? 'relu6' : 'relu',
  };
}

/**
 * The quantized numbers of a float unit: per-channel int8 weights, the bias rounded to int32 in
 * units of input scale × weight scale, and the given activation quantization.
 */
export function quantizeParams(
  unit: QuantizableUnit,
  input: AffineQuant,
  output: AffineQuant,
): QuantizedParams {
  const { layer } = unitParts(unit);
  const channels = layer.weight.shape[0];
  const weights = quantizeWeightsPerChannel(layer.weight.data, channels);
  const bias = Int32Array.from({ length: channels }, (_, c) =>
    layer.bias ? roundHalfEven(layer.bias.data[c] / (input.scale * weights.scale[c])) : 0,
  );
  return { weights, bias, input, output };
}

/**
 * The common part of the int8 layers: a float tensor comes in, is quantized to uint8 with the
 * calibrated input parameters, runs through the int8 kernel (int32 accumulation, requantization
 * with the fused activation as a clamp) and leaves dequantized, so any float op may follow.
 */
export abstract class QuantizedLayer extends Module {
  /** The weights as the kernel takes them, with the per-channel requantization multipliers. */
  private readonly kernelWeights;
  /** Input quantization, output requantization, and the clamp that applies the activation. */
  private readonly requantization: Requantization;

  protected constructor(
    readonly params: QuantizedParams,
    readonly activation: FusedActivationKind,
    /** The float weight's shape. */
    readonly weightShape: readonly number[],
  ) {
    super();
    const { weights, bias, input, output } = params;
    const multiplier = Float64Array.from(weights.scale, (s) => (input.scale * s) / output.scale);
    this.kernelWeights = { values: weights.values, bias, multiplier };
    const zero = output.zeroPoint;
    this.requantization = {
      input,
      output,
      min: activation === 'none' ? 0 : zero,
      max: activation === 'relu6' ? Math.min(255, zero + roundHalfEven(6 / output.scale)) : 255,
    };
  }

  /** Bytes of the stored numbers: int8 weights, float32 scales, int32 biases. */
  get byteSize(): number {
    const { weights, bias } = this.params;
    return weights.values.length + 4 * weights.scale.length + 4 * bias.length;
  }

  /** Runs the backend's int8 conv on float32 x (any other dtype is converted first). */
  protected run(x: Tensor, geom: GroupedConv, shape: readonly number[]): Tensor {
    const input = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
    const out = new Float32Array(numel(shape));
    getBackend().quantizedConv(input, this.kernelWeights, geom, this.requantization, out);
    return new Tensor(out, shape, 'float32');
  }

  /** What an exporter needs to write this layer (reported to the op tracer on each call). */
  protected traceAttributes(): Record<string, unknown> {
    return { ...this.params, weightShape: this.weightShape, activation: this.activation };
  }

  protected override extraRepr(): string {
    return `weight=${fmt(this.weightShape)}, activation=${this.activation}`;
  }
}

/** [before, after] zero padding per spatial dim of a conv layer. */
function padAmounts(conv: QuantizableConv): { before: number[]; after: number[] } {
  const { padding, kernelSize, dilation } = conv;
  if (padding === 'valid')
    return { before: kernelSize.map(() => 0), after: kernelSize.map(() => 0) };
  if (padding === 'same') {
    const total = kernelSize.map((k, i) => dilation[i] * (k - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return { before, after: total.map((t, i) => t - before[i]) };
  }
  const pairs = padding.map((p) => (typeof p === 'number' ? [p, p] : p));
  return { before: pairs.map((p) => p[0]), after: pairs.map((p) => p[1]) };
}

/**
 * An int8 Conv1d/2d/3d (any groups, zero padding): uint8 activations, per-channel int8 weights,
 * int32 accumulation, uint8 output with the fused ReLU/ReLU6. Built by `quantize`.
 */
export class QuantizedConv extends QuantizedLayer {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padBefore: readonly number[];
  readonly padAfter: readonly number[];
  readonly groups: number;

  constructor(conv: QuantizableConv, activation: FusedActivationKind, params: QuantizedParams) {
    super(params, activation, conv.weight.shape);
    this.inChannels = conv.inChannels;
    this.outChannels = conv.outChannels;
    this.kernelSize = conv.kernelSize;
    this.stride = conv.stride;
    this.dilation = conv.dilation;
    const { before, after } = padAmounts(conv);
    this.padBefore = before;
    this.padAfter = after;
    this.groups = conv.groups;
  }

  forward(x: Tensor): Tensor {
    const d = this.kernelSize.length;
    check(
      x.ndim === d + 2 && x.shape[1] === this.inChannels,
      'QuantizedConv',
      () => `expected input [N, ${this.inChannels}, ${d} spatial dims], got ${fmt(x.shape)}`,
    );
    const [batch] = x.shape;
    const geom = slidingGeometry('QuantizedConv', batch, this.inChannels, x.shape.slice(2), {
      kernel: this.kernelSize,
      stride: this.stride,
      dilation: this.dilation,
      padBefore: this.padBefore,
      padAfter: this.padAfter,
    });
    const shape = [batch, this.outChannels, ...geom.outSize];
    const y = this.run(x, { ...geom, groups: this.groups, outChannels: this.outChannels }, shape);
    return traced('quantizedConv', y, [x], {
      ...this.traceAttributes(),
      stride: this.stride,
      dilation: this.dilation,
      pads: [...this.padBefore, ...this.padAfter],
      groups: this.groups,
    });
  }
}

/** A linear layer is a conv with no spatial dims: one position per row. */
const noWindow = { inSize: [], outSize: [], kernel: [], stride: [], padBefore: [], dilation: [] };

/** An int8 Linear over the last dim of its input, with the fused ReLU/ReLU6. Built by `quantize`. */
export class QuantizedLinear extends QuantizedLayer {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(linear: Linear, activation: FusedActivationKind, params: QuantizedParams) {
    super(params, activation, linear.weight.shape);
    this.inFeatures = linear.inFeatures;
    this.outFeatures = linear.outFeatures;
  }

  forward(x: Tensor): Tensor {
    const k = this.inFeatures;
    check(
      x.ndim >= 1 && x.shape[x.ndim - 1] === k,
      'QuantizedLinear',
      () => `expected input [*, ${k}], got ${fmt(x.shape)}`,
    );
    const rows = x.size / k;
    const geom = {
      ...noWindow,
      batch: rows,
      channels: k,
      groups: 1,
      outChannels: this.outFeatures,
    };
    const y = this.run(x, geom, [...x.shape.slice(0, -1), this.outFeatures]);
    return traced('quantizedLinear', y, [x], this.traceAttributes());
  }
}

/** The quantized layer for a float unit and its quantized numbers. */
export function quantizedLayerFor(unit: QuantizableUnit, params: QuantizedParams): QuantizedLayer {
  const { layer, activation } = unitParts(unit);
  return layer instanceof Linear
    ? new QuantizedLinear(layer, activation, params)
    : new QuantizedConv(layer, activation, params);
}
