import { uniform } from '../../tensor/create.js';
import { check, fmt } from '../../tensor/errors.js';
import type { FusedActivation } from '../../backend/fused-activation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkActivation } from '../../ops/fused-activation.js';
import {
  conv1d,
  conv2d,
  conv3d,
  type ConvOptions,
  type ConvPadding,
  type PaddingMode,
} from '../../ops/conv.js';
import {
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  type ConvTransposeOptions,
} from '../../ops/conv-transpose.js';
import { tuple } from '../../ops/util.js';
import { Module, parameter } from '../module.js';
import { checkPositiveInteger } from './args.js';
import { formatArgs } from './repr.js';

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

/** Padding with a number spread to one entry per spatial dim. */
export type ResolvedPadding = Exclude<ConvPadding, number>;

type ConvFn<O> = (x: Tensor, w: Tensor, b: Tensor | null, o: O) => Tensor;

const paddingModes: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/**
 * Padding resolved per spatial dim: a number becomes d copies; 'same', 'valid' and per-dim
 * `[before, after]` pairs stay as given. 'same' with a stride is refused here, as PyTorch's
 * constructor refuses it, rather than on the first call.
 */
function resolvePadding(
  layer: string,
  padding: ConvPadding,
  d: number,
  stride: readonly number[],
): ResolvedPadding {
  if (typeof padding === 'string') {
    check(
      padding === 'same' || padding === 'valid',
      layer,
      () => `padding must be a number, a list, 'same' or 'valid', got '${padding}'`,
    );
    check(
      padding === 'valid' || stride.every((s) => s === 1),
      layer,
      () => `padding 'same' needs stride 1 (as in PyTorch), got stride ${fmt(stride)}`,
    );
    return padding;
  }
  if (typeof padding === 'number' || padding.every((p) => typeof p === 'number')) {
    return tuple(padding as number | number[], d, layer, 'padding', 0);
  }
  // Lists with [before, after] pairs are checked entry by entry by the op.
  return [...padding];
}

/**
 * The shared body of every (transposed) convolution layer, with PyTorch's `_ConvNd` attributes
 * (kernelSize, stride, padding, dilation, outputPadding, groups, paddingMode) resolved per spatial
 * dim. The weight is [C_out, C_in/groups, ...k], or [C_in, C_out/groups, ...k] when transposed;
 * weight and bias start uniform in ±1/√fan_in with fan_in = weight.shape[1]·∏k in both cases,
 * which is what PyTorch's kaiming_uniform(a=√5) and its bias rule come to.
 */
abstract class ConvBase<O extends ConvOptions | ConvTransposeOptions> extends Module {
  weight: Tensor;
  bias: Tensor | null;
  /** The options as given (less `bias`), passed to the functional op on every call. */
  readonly options: O;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: ResolvedPadding;
  readonly dilation: number[];
  /** Extra size at the end of each output dim (transposed convolutions; zeros otherwise). */
  readonly outputPadding: number[];
  readonly groups: number;
  /** How the border is padded ('zeros' for transposed convolutions, as in PyTorch). */
  readonly paddingMode: PaddingMode;
  /** The activation applied as the output is written (the `activation` option), or null. */
  readonly activation: FusedActivation | null;

  protected constructor(
    d: number,
    transposed: boolean,
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly number[],
    { bias = true, ...options }: O & { bias?: boolean },
    private readonly op: ConvFn<O>,
  ) {
    super();
    const layer = this.constructor.name;
    checkPositiveInteger(layer, 'inChannels', inChannels);
    checkPositiveInteger(layer, 'outChannels', outChannels);
    const groups = options.groups ?? 1;
    check(
      Number.isInteger(groups) &&
        groups > 0 &&
        inChannels % groups === 0 &&
        outChannels % groups === 0,
      layer,
      () =>
        `groups (${groups}) must be a positive integer dividing inChannels (${inChannels}) and outChannels (${outChannels})`,
    );
    this.kernelSize = tuple(kernelSize, d, layer, 'kernelSize', 1);
    this.stride = tuple(options.stride ?? 1, d, layer, 'stride', 1);
    this.dilation = tuple(options.dilation ?? 1, d, layer, 'dilation', 1);
    this.padding = resolvePadding(layer, options.padding ?? 0, d, this.stride);
    this.groups = groups;
    const { outputPadding = 0 } = options as ConvTransposeOptions;
    this.outputPadding = tuple(outputPadding, d, layer, 'outputPadding', 0);
    check(
      this.outputPadding.every((p, i) => p < this.stride[i] || p < this.dilation[i]),
      layer,
      () =>
        `outputPadding ${fmt(this.outputPadding)} must be smaller than stride ${fmt(this.stride)} or dilation ${fmt(this.dilation)} in each dim`,
    );
    this.paddingMode = (options as ConvOptions).paddingMode ?? 'zeros';
    check(
      paddingModes.includes(this.paddingMode) && (!transposed || this.paddingMode === 'zeros'),
      layer,
      () =>
        `paddingMode must be ${transposed ? "'zeros' for a transposed convolution" : `one of ${paddingModes.join(', ')}`}, got '${this.paddingMode}'`,
    );
    this.activation = (options as ConvOptions).activation ?? null;
    check(
      !transposed || this.activation === null,
      layer,
      () => `takes no activation option; apply '${this.activation}' after the layer`,
    );
    checkActivation(layer, this.activation);
    const weightShape = transposed
      ? [inChannels, outChannels / groups, ...this.kernelSize]
      : [outChannels, inChannels / groups, ...this.kernelSize];
    const fanIn = weightShape.slice(1).reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = parameter(uniform(weightShape, -bound, bound));
    this.bias = bias ? parameter(uniform([outChannels], -bound, bound)) : null;
    this.options = options as O;
  }

  forward(x: Tensor): Tensor {
    return this.run(x, {});
  }

  /** The layer's op on x with its options, `changes` on top. */
  protected run(x: Tensor, changes: Partial<O>): Tensor {
    // `groups` is read from the field: channel pruning shrinks a depthwise conv's groups.
    return this.op(x, this.weight, this.bias, { ...this.options, groups: this.groups, ...changes });
  }

  /** PyTorch's repr: the kernel and stride, then only what differs from the defaults. */
  protected override extraRepr(): string {
    const { padding, dilation, outputPadding, groups, paddingMode } = this;
    const padded = typeof padding === 'string' || padding.flat().some((p) => p !== 0);
    const args = {
      kernelSize: this.kernelSize,
      stride: this.stride,
      ...(padded && { padding }),
      ...(dilation.some((v) => v !== 1) && { dilation }),
      ...(outputPadding.some((v) => v !== 0) && { outputPadding }),
      ...(groups !== 1 && { groups }),
      ...(this.bias === null && { bias: false }),
      ...(paddingMode !== 'zeros' && { paddingMode }),
      ...(this.activation && { activation: this.activation }),
    };
    return `${this.inChannels}, ${this.outChannels}, ${formatArgs(args)}`;
  }
}

/** A d-dimensional convolution layer; Conv1d/2d/3d only fix d and the op. */
abstract class ConvNd extends ConvBase<ConvOptions> {
  protected constructor(
    d: number,
    op: ConvFn<ConvOptions>,
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions,
  ) {
    super(d, false, inChannels, outChannels, kernelSize, options, op);
  }

  /**
   * The layer's conv of x with `activation` applied as the output is written (FusedLayer's
   * forward): relu(layer.forward(x)) or relu6(...) in one pass. For a layer without one of its own.
   */
  forwardActivated(x: Tensor, activation: FusedActivation): Tensor {
    return this.run(x, { activation });
  }
}

/**
 * 1-D convolution over [N, C_in, L], as `nn.Conv1d`. Weight [C_out, C_in/groups, k], bias [C_out].
 *
 * @example new Conv1d(4, 8, 5, { padding: 'same' }) // [N, 4, 100] → [N, 8, 100]
 */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions = {},
  ) {
    super(1, conv1d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 2-D convolution over [N, C_in, H, W], as `nn.Conv2d`. Weight [C_out, C_in/groups, kH, kW],
 * bias [C_out]. Options: stride, padding (a number, per-dim list, 'same' or 'valid'), dilation,
 * groups, paddingMode ('zeros', 'reflect', 'replicate', 'circular'), bias, and Keras's activation
 * ('relu' or 'relu6', applied as the output is written).
 *
 * @example new Conv2d(3, 16, 3, { stride: 2, padding: 1 }) // [N, 3, 32, 32] → [N, 16, 16, 16]
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions = {},
  ) {
    super(2, conv2d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 3-D convolution over [N, C_in, D, H, W], as `nn.Conv3d`. Weight [C_out, C_in/groups, kD, kH, kW].
 *
 * @example new Conv3d(1, 8, [3, 3, 3], { padding: 1 }) // [N, 1, 16, 32, 32] → [N, 8, 16, 32, 32]
 */
export class Conv3d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvLayerOptions = {},
  ) {
    super(3, conv3d, inChannels, outChannels, kernelSize, options);
  }
}

/** A d-dimensional transposed convolution layer; ConvTranspose1d/2d/3d only fix d and the op. */
abstract class ConvTransposeNd extends ConvBase<ConvTransposeOptions> {
  protected constructor(
    d: number,
    op: ConvFn<ConvTransposeOptions>,
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeLayerOptions,
  ) {
    super(d, true, inChannels, outChannels, kernelSize, options, op);
  }
}

/**
 * 1-D transposed convolution, as `nn.ConvTranspose1d`. Weight [C_in, C_out/groups, k].
 *
 * @example new ConvTranspose1d(8, 4, 4, { stride: 2, padding: 1 }) // [N, 8, 50] → [N, 4, 100]
 */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeLayerOptions = {},
  ) {
    super(1, convTranspose1d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 2-D transposed convolution, as `nn.ConvTranspose2d` (learned up-sampling). Weight
 * [C_in, C_out/groups, kH, kW]; options stride, padding, outputPadding, groups, dilation, bias.
 *
 * @example new ConvTranspose2d(64, 32, 2, { stride: 2 }) // [N, 64, 14, 14] → [N, 32, 28, 28]
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeLayerOptions = {},
  ) {
    super(2, convTranspose2d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * 3-D transposed convolution, as `nn.ConvTranspose3d`. Weight [C_in, C_out/groups, kD, kH, kW].
 *
 * @example new ConvTranspose3d(8, 4, 2, { stride: 2 }) // [N, 8, 4, 8, 8] → [N, 4, 8, 16, 16]
 */
export class ConvTranspose3d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: ConvTransposeLayerOptions = {},
  ) {
    super(3, convTranspose3d, inChannels, outChannels, kernelSize, options);
  }
}
