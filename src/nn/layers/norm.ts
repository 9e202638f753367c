import { ones, zeros } from '../../tensor/create.js';
import { check, fmt } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  batchNorm,
  groupNorm,
  instanceNorm,
  layerNorm,
  localResponseNorm,
  type LocalResponseNormOptions,
} from '../../ops/norm.js';
import { squeeze, unsqueeze } from '../../ops/reshape.js';
import { buffer, Module, parameter } from '../module.js';
import { checkPositiveInteger } from './args.js';
import { formatArgs, formatValue } from './repr.js';

/** Options of the batch and instance norm layers, with PyTorch's names. */
export interface BatchNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /**
   * Weight of each batch in the running statistics (default 0.1); null makes them a cumulative
   * average over every batch so far (batch norm only).
   */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true for batch norm, false for instance norm). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true for batch, false for instance norm). */
  trackRunningStats?: boolean;
}

/** The input layouts a norm layer accepts, e.g. ['N, C', 'N, C, L']. */
type Layouts = readonly string[];

/** Checks x's rank against `layouts` (e.g. 'N, C, H, W') and the size of its C dim. */
function checkChannels(layer: string, x: Tensor, layouts: Layouts, channels: number): void {
  const layout = layouts.find((l) => l.split(', ').length === x.ndim);
  check(
    layout !== undefined,
    layer,
    () =>
      `expected ${layouts.map((l) => `${l.split(', ').length}-D (${l})`).join(' or ')} input, got shape ${fmt(x.shape)}`,
  );
  const dim = layout.split(', ').indexOf('C');
  check(
    x.shape[dim] === channels,
    layer,
    () =>
      `expected ${channels} channels (dim ${dim} of ${layout}), got ${x.shape[dim]} in input shape ${fmt(x.shape)}`,
  );
}

/**
 * The per-channel state of batch and instance norm, with PyTorch's attribute and state-dict
 * names: weight and bias (learned, when affine), running_mean, running_var and
 * num_batches_tracked (int32; when trackRunningStats).
 */
abstract class ChannelNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  protected constructor(
    readonly numFeatures: number,
    options: BatchNormLayerOptions,
    defaults: { affine: boolean; trackRunningStats: boolean },
    protected readonly layouts: Layouts,
  ) {
    super();
    const layer = this.constructor.name;
    checkPositiveInteger(layer, 'numFeatures', numFeatures);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    check(
      this.momentum === null || (this.momentum >= 0 && this.momentum <= 1),
      layer,
      () => `momentum must be in [0, 1] or null, got ${this.momentum}`,
    );
    this.affine = options.affine ?? defaults.affine;
    this.trackRunningStats = options.trackRunningStats ?? defaults.trackRunningStats;
    const track = this.trackRunningStats;
    this.weight = this.affine ? parameter(ones([numFeatures])) : null;
    this.bias = this.affine ? parameter(zeros([numFeatures])) : null;
    this.running_mean = track ? buffer(zeros([numFeatures])) : null;
    this.running_var = track ? buffer(ones([numFeatures])) : null;
    this.num_batches_tracked = track ? buffer(zeros([], { dtype: 'int32' })) : null;
  }

  /** Checks the input's layout and channel count. */
  protected checkInput(x: Tensor): void {
    checkChannels(this.constructor.name, x, this.layouts, this.numFeatures);
  }

  /** Whether this call normalises with the batch's own statistics (else the running ones). */
  protected get usesBatchStats(): boolean {
    return this.training || !this.trackRunningStats;
  }

  protected override extraRepr(): string {
    const { eps, momentum, affine, trackRunningStats } = this;
    return `${this.numFeatures}, ${formatArgs({ eps, momentum, affine, trackRunningStats })}`;
  }
}

/**
 * Batch norm over dim 1: batch statistics in training mode (and the running statistics move
 * toward them, numBatchesTracked counting the batches), the running statistics in eval mode.
 * BatchNorm1d/2d/3d only fix the accepted layouts.
 */
abstract class BatchNormNd extends ChannelNorm {
  protected constructor(numFeatures: number, options: BatchNormLayerOptions, layouts: Layouts) {
    super(numFeatures, options, { affine: true, trackRunningStats: true }, layouts);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    const counter = this.training ? this.num_batches_tracked : null;
    const seen = counter ? counter.data[0] : 0;
    // momentum null: the n-th batch gets weight 1/n, a cumulative average (PyTorch's rule).
    const momentum = this.momentum ?? 1 / (seen + 1);
    const out = batchNorm(x, this.running_mean, this.running_var, {
      weight: this.weight,
      bias: this.bias,
      training: this.usesBatchStats,
      momentum,
      eps: this.eps,
    });
    // Counted after the op, so a refused input leaves the count as it was.
    if (counter) counter.data[0] = seen + 1;
    return out;
  }
}

/**
 * Batch normalization of [N, C] or [N, C, L], as `nn.BatchNorm1d`.
 *
 * @example new BatchNorm1d(128) // after new Linear(256, 128)
 */
export class BatchNorm1d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, ['N, C', 'N, C, L']);
  }
}

/**
 * Batch normalization of [N, C, H, W], as `nn.BatchNorm2d`: in training mode each channel is
 * normalised by the batch's mean and variance and the running statistics are updated
 * (r ← (1 − momentum)·r + momentum·batch); in eval mode the running statistics are used.
 *
 * @example new BatchNorm2d(64, { momentum: 0.01 })
 */
export class BatchNorm2d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, ['N, C, H, W']);
  }
}

/** Batch normalization of [N, C, D, H, W], as `nn.BatchNorm3d`. */
export class BatchNorm3d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, ['N, C, D, H, W']);
  }
}

/**
 * Instance norm: each channel of each sample normalised over its spatial dims. With
 * trackRunningStats, training updates running statistics that eval mode then uses (PyTorch
 * keeps num_batches_tracked for instance norm too but never counts it; neither does this).
 * Unbatched input ([C, ...spatial]) is accepted, as in PyTorch. InstanceNorm1d/2d/3d only fix
 * the accepted layouts.
 */
abstract class InstanceNormNd extends ChannelNorm {
  protected constructor(numFeatures: number, options: BatchNormLayerOptions, layouts: Layouts) {
    super(numFeatures, options, { affine: false, trackRunningStats: false }, layouts);
    check(
      this.momentum !== null,
      this.constructor.name,
      () => 'momentum null (a cumulative average) is for batch norm only; give a number',
    );
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    // The first layout of an instance norm is the unbatched one.
    const unbatched = x.ndim === this.layouts[0].split(', ').length;
    const out = instanceNorm(unbatched ? unsqueeze(x, 0) : x, {
      runningMean: this.running_mean,
      runningVar: this.running_var,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.usesBatchStats,
      momentum: this.momentum ?? undefined,
      eps: this.eps,
    });
    return unbatched ? squeeze(out, 0) : out;
  }
}

/** Instance normalization of [N, C, L] or [C, L], as `nn.InstanceNorm1d`. */
export class InstanceNorm1d extends InstanceNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, ['C, L', 'N, C, L']);
  }
}

/**
 * Instance normalization of [N, C, H, W] or [C, H, W], as `nn.InstanceNorm2d` (style transfer,
 * GANs); no affine parameters and no running statistics unless asked.
 *
 * @example new InstanceNorm2d(64, { affine: true })
 */
export class InstanceNorm2d extends InstanceNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, ['C, H, W', 'N, C, H, W']);
  }
}

/** Instance normalization of [N, C, D, H, W] or [C, D, H, W], as `nn.InstanceNorm3d`. */
export class InstanceNorm3d extends InstanceNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, ['C, D, H, W', 'N, C, D, H, W']);
  }
}

/** Options of GroupNorm. */
export interface GroupNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale (init 1) and shift (init 0) (default true). */
  affine?: boolean;
}

/**
 * Group normalization, as `nn.GroupNorm`: the channels are split into numGroups groups, each
 * normalised over its channels and the spatial dims, per sample, so it does not depend on the
 * batch size (small-batch training, detection, segmentation).
 *
 * @example new GroupNorm(8, 64) // 8 groups of 8 channels
 */
export class GroupNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  readonly eps: number;
  readonly affine: boolean;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    { eps = 1e-5, affine = true }: GroupNormOptions = {},
  ) {
    super();
    checkPositiveInteger('GroupNorm', 'numGroups', numGroups);
    checkPositiveInteger('GroupNorm', 'numChannels', numChannels);
    check(
      numChannels % numGroups === 0,
      'GroupNorm',
      () => `numGroups (${numGroups}) must divide numChannels (${numChannels})`,
    );
    this.eps = eps;
    this.affine = affine;
    this.weight = affine ? parameter(ones([numChannels])) : null;
    this.bias = affine ? parameter(zeros([numChannels])) : null;
  }

  forward(x: Tensor): Tensor {
    check(
      x.ndim >= 2 && x.shape[1] === this.numChannels,
      'GroupNorm',
      () => `expected input [N, ${this.numChannels}, ...] (numChannels), got shape ${fmt(x.shape)}`,
    );
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  protected override extraRepr(): string {
    const { eps, affine } = this;
    return `${this.numGroups}, ${this.numChannels}, ${formatArgs({ eps, affine })}`;
  }
}

/** Options of LayerNorm. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale (init 1) and shift (init 0) of normalizedShape (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Layer normalization over the trailing `normalizedShape` dims, as `nn.LayerNorm`.
 *
 * @example new LayerNorm([16, 7, 7]) // normalises each sample of [N, 16, 7, 7]
 */
export class LayerNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;

  constructor(
    normalizedShape: number | readonly number[],
    { eps = 1e-5, elementwiseAffine = true }: LayerNormOptions = {},
  ) {
    super();
    this.normalizedShape =
      typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    check(
      this.normalizedShape.length > 0 &&
        this.normalizedShape.every((n) => Number.isInteger(n) && n > 0),
      'LayerNorm',
      () =>
        `normalizedShape must be a positive integer or a non-empty list of them, got ${formatValue(normalizedShape)}`,
    );
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? parameter(ones(this.normalizedShape)) : null;
    this.bias = elementwiseAffine ? parameter(zeros(this.normalizedShape)) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.eps,
    });
  }

  protected override extraRepr(): string {
    const { eps, elementwiseAffine } = this;
    return `${formatValue(this.normalizedShape)}, ${formatArgs({ eps, elementwiseAffine })}`;
  }
}

/**
 * Local response normalization across channels, as `nn.LocalResponseNorm` (AlexNet):
 * x / (k + alpha·avg(x²) over `size` neighbouring channels)^beta.
 *
 * @example new LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 })
 */
export class LocalResponseNorm extends Module {
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(
    readonly size: number,
    { alpha = 1e-4, beta = 0.75, k = 1 }: LocalResponseNormOptions = {},
  ) {
    super();
    checkPositiveInteger('LocalResponseNorm', 'size', size);
    this.alpha = alpha;
    this.beta = beta;
    this.k = k;
  }

  forward(x: Tensor): Tensor {
    const { alpha, beta, k } = this;
    return localResponseNorm(x, this.size, { alpha, beta, k });
  }

  protected override extraRepr(): string {
    const { alpha, beta, k } = this;
    return `${this.size}, ${formatArgs({ alpha, beta, k })}`;
  }
}
