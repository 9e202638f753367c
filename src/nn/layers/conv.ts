import { uniform } from '../../tensor/create.js';
import { check } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { conv1d, conv2d, conv3d, type ConvOptions } from '../../ops/conv.js';
import {
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  type ConvTransposeOptions,
} from '../../ops/conv-transpose.js';
import { tuple } from '../../ops/util.js';
import { Module, parameter } from '../module.js';

/** Options of the convolution layers: the functional options plus whether to learn a bias. */
export interface ConvLayerOptions extends ConvOptions {
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
}

/** Options of the transposed convolution layers. */
export interface ConvTransposeLayerOptions extends ConvTransposeOptions {
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
}

type ConvFn<O> = (x: Tensor, w: Tensor, b: Tensor | null, o: O) => Tensor;

/**
 * The shared body of every (transposed) convolution layer: a weight of `weightShape` and an
 * optional bias, initialised as PyTorch does — U(±1/√fan_in), where fan_in is weight.shape[1]·∏k.
 */
abstract class ConvBase<O extends ConvOptions | ConvTransposeOptions> extends Module {
  weight: Tensor;
  bias: Tensor | null;
  readonly options: O;

  protected constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number[],
    weightShape: number[],
    biasSize: number,
    { bias = true, ...options }: O & { bias?: boolean },
    private readonly op: ConvFn<O>,
  ) {
    super();
    const layer = this.constructor.name;
    const groups = options.groups ?? 1;
    check(
      Number.isInteger(groups) &&
        groups > 0 &&
        inChannels % groups === 0 &&
        outChannels % groups === 0,
      layer,
      () =>
        `groups (${groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`,
    );
    const fanIn = weightShape[1] * kernelSize.reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = parameter(uniform(weightShape, -bound, bound));
    this.bias = bias ? parameter(uniform([biasSize], -bound, bound)) : null;
    this.options = options as O;
  }

  forward(x: Tensor): Tensor {
    return this.op(x, this.weight, this.bias, this.options);
  }

  protected override extraRepr(): string {
    const extras = Object.entries(this.options).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return [
      `${this.inChannels}, ${this.outChannels}`,
      `kernelSize=[${this.kernelSize}]`,
      ...extras,
      `bias=${this.bias !== null}`,
    ].join(', ');
  }
}

/** A d-dimensional convolution layer; Conv1d/2d/3d fix d. */
abstract class ConvNd extends ConvBase<ConvOptions> {
  protected constructor(
    d: number,
    op: ConvFn<ConvOptions>,
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    options: ConvLayerOptions,
  ) {
    const k = tuple(kernelSize, d, `Conv${d}d`, 'kernelSize', 1);
    const groups = options.groups ?? 1;
    super(
      inChannels,
      outChannels,
      k,
      [outChannels, inChannels / groups, ...k],
      outChannels,
      options,
      op,
    );
  }
}

/** 1-D convolution over [N, C_in, L], as `nn.Conv1d`. Weight [C_out, C_in/groups, k]. */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    options: ConvLayerOptions = {},
  ) {
    super(1, conv1d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 2-D convolution over [N, C_in, H, W], as `nn.Conv2d`. Weight [C_out, C_in/groups, kH, kW].
 *
 * @example new Conv2d(3, 16, 3, { stride: 2, padding: 1 }) // [N, 3, 32, 32] → [N, 16, 16, 16]
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    options: ConvLayerOptions = {},
  ) {
    super(2, conv2d, inChannels, outChannels, kernelSize, options);
  }
}

/** 3-D convolution over [N, C_in, D, H, W], as `nn.Conv3d`. Weight [C_out, C_in/groups, kD, kH, kW]. */
export class Conv3d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    options: ConvLayerOptions = {},
  ) {
    super(3, conv3d, inChannels, outChannels, kernelSize, options);
  }
}

/** A d-dimensional transposed convolution layer; ConvTranspose1d/2d/3d fix d. */
abstract class ConvTransposeNd extends ConvBase<ConvTransposeOptions> {
  protected constructor(
    d: number,
    op: ConvFn<ConvTransposeOptions>,
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    options: ConvTransposeLayerOptions,
  ) {
    const k = tuple(kernelSize, d, `ConvTranspose${d}d`, 'kernelSize', 1);
    const groups = options.groups ?? 1;
    // PyTorch's fan_in for a transposed weight [C_in, C_out/groups, ...k] is its dim 1 · ∏k.
    super(
      inChannels,
      outChannels,
      k,
      [inChannels, outChannels / groups, ...k],
      outChannels,
      options,
      op,
    );
  }
}

/** 1-D transposed convolution, as `nn.ConvTranspose1d`. Weight [C_in, C_out/groups, k]. */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    options: ConvTransposeLayerOptions = {},
  ) {
    super(1, convTranspose1d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 2-D transposed convolution, as `nn.ConvTranspose2d` (learned up-sampling).
 *
 * @example new ConvTranspose2d(64, 32, 2, { stride: 2 }) // [N, 64, 14, 14] → [N, 32, 28, 28]
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    options: ConvTransposeLayerOptions = {},
  ) {
    super(2, convTranspose2d, inChannels, outChannels, kernelSize, options);
  }
}

/** 3-D transposed convolution, as `nn.ConvTranspose3d`. */
export class ConvTranspose3d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | number[],
    options: ConvTransposeLayerOptions = {},
  ) {
    super(3, convTranspose3d, inChannels, outChannels, kernelSize, options);
  }
}
