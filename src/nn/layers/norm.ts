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
import { buffer, Module, parameter } from '../module.js';

/** Options of the batch and instance norm layers, with PyTorch's names. */
export interface BatchNormLayerOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each batch in the running statistics; null = cumulative average (default 0.1). */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true for batch norm, false for instance norm). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true for batch norm, false for instance norm). */
  trackRunningStats?: boolean;
}

/**
 * Per-channel state of batch and instance norm: learned scale/shift, running statistics and the
 * count of batches seen, named as PyTorch's state dict (weight, bias, running_mean, running_var,
 * num_batches_tracked).
 */
abstract class ChannelNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;

  protected constructor(
    readonly numFeatures: number,
    options: BatchNormLayerOptions,
    defaults: { affine: boolean; trackRunningStats: boolean },
    private readonly ndims: readonly number[],
    private readonly layout: string,
  ) {
    super();
    const affine = options.affine ?? defaults.affine;
    const track = options.trackRunningStats ?? defaults.trackRunningStats;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.weight = affine ? parameter(ones([numFeatures])) : null;
    this.bias = affine ? parameter(zeros([numFeatures])) : null;
    this.running_mean = track ? buffer(zeros([numFeatures])) : null;
    this.running_var = track ? buffer(ones([numFeatures])) : null;
    this.num_batches_tracked = track ? buffer(zeros([], { dtype: 'int32' })) : null;
  }

  /** Checks the input's rank and counts a training batch; returns the momentum to use. */
  protected prepare(x: Tensor): number {
    check(
      this.ndims.includes(x.ndim),
      this.constructor.name,
      () =>
        `expected ${this.ndims.join(' or ')}-D input (${this.layout}), got shape ${fmt(x.shape)}`,
    );
    if (!this.training || !this.num_batches_tracked) return this.momentum ?? 0.1;
    const count = ++this.num_batches_tracked.data[0];
    // momentum null: a cumulative moving average, 1/n for the n-th batch.
    return this.momentum ?? 1 / count;
  }

  protected override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}, trackRunningStats=${this.running_mean !== null}`;
  }
}

/** Batch norm over dim 1; BatchNorm1d/2d/3d fix the accepted ranks. */
abstract class BatchNormNd extends ChannelNorm {
  forward(x: Tensor): Tensor {
    const momentum = this.prepare(x);
    return batchNorm(x, this.running_mean, this.running_var, {
      weight: this.weight,
      bias: this.bias,
      // Batch statistics while training, or always when no running statistics are kept.
      training: this.training || this.running_mean === null,
      momentum,
      eps: this.eps,
    });
  }
}

/** Batch normalization of [N, C] or [N, C, L], as `nn.BatchNorm1d`. */
export class BatchNorm1d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(
      numFeatures,
      options,
      { affine: true, trackRunningStats: true },
      [2, 3],
      'N, C or N, C, L',
    );
  }
}

/**
 * Batch normalization of [N, C, H, W], as `nn.BatchNorm2d`: batch statistics and running-statistic
 * updates in training mode, the running statistics in eval mode.
 *
 * @example new BatchNorm2d(64)
 */
export class BatchNorm2d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, { affine: true, trackRunningStats: true }, [4], 'N, C, H, W');
  }
}

/** Batch normalization of [N, C, D, H, W], as `nn.BatchNorm3d`. */
export class BatchNorm3d extends BatchNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, { affine: true, trackRunningStats: true }, [5], 'N, C, D, H, W');
  }
}

/** Instance norm over the spatial dims; InstanceNorm1d/2d/3d fix the accepted ranks. */
abstract class InstanceNormNd extends ChannelNorm {
  forward(x: Tensor): Tensor {
    const momentum = this.prepare(x);
    return instanceNorm(x, {
      runningMean: this.running_mean,
      runningVar: this.running_var,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || this.running_mean === null,
      momentum,
      eps: this.eps,
    });
  }
}

/** Instance normalization of [N, C, L], as `nn.InstanceNorm1d` (no affine, no running stats by default). */
export class InstanceNorm1d extends InstanceNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, { affine: false, trackRunningStats: false }, [3], 'N, C, L');
  }
}

/** Instance normalization of [N, C, H, W], as `nn.InstanceNorm2d` (style transfer, GANs). */
export class InstanceNorm2d extends InstanceNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, { affine: false, trackRunningStats: false }, [4], 'N, C, H, W');
  }
}

/** Instance normalization of [N, C, D, H, W], as `nn.InstanceNorm3d`. */
export class InstanceNorm3d extends InstanceNormNd {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, { affine: false, trackRunningStats: false }, [5], 'N, C, D, H, W');
  }
}

/**
 * Group normalization, as `nn.GroupNorm`: channels split into numGroups groups, each normalised
 * over its channels and the spatial dims, per sample (independent of the batch size).
 */
export class GroupNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    readonly options: { eps?: number; affine?: boolean } = {},
  ) {
    super();
    check(
      numChannels % numGroups === 0,
      'GroupNorm',
      () => `numGroups (${numGroups}) must divide numChannels (${numChannels})`,
    );
    const affine = options.affine ?? true;
    this.weight = affine ? parameter(ones([numChannels])) : null;
    this.bias = affine ? parameter(zeros([numChannels])) : null;
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, {
      weight: this.weight,
      bias: this.bias,
      eps: this.options.eps,
    });
  }

  protected override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.options.eps ?? 1e-5}, affine=${this.weight !== null}`;
  }
}

/** Layer normalization over the trailing `normalizedShape` dims, as `nn.LayerNorm`. */
export class LayerNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  readonly normalizedShape: number[];

  constructor(
    normalizedShape: number | readonly number[],
    readonly options: { eps?: number; elementwiseAffine?: boolean } = {},
  ) {
    super();
    this.normalizedShape =
      typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? parameter(ones(this.normalizedShape)) : null;
    this.bias = affine ? parameter(zeros(this.normalizedShape)) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.options.eps,
    });
  }

  protected override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.options.eps ?? 1e-5}, elementwiseAffine=${this.weight !== null}`;
  }
}

/** Local response normalization across channels, as `nn.LocalResponseNorm` (AlexNet). */
export class LocalResponseNorm extends Module {
  constructor(
    readonly size: number,
    readonly options: LocalResponseNormOptions = {},
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, this.options);
  }

  protected override extraRepr(): string {
    const { alpha = 1e-4, beta = 0.75, k = 1 } = this.options;
    return `${this.size}, alpha=${alpha}, beta=${beta}, k=${k}`;
  }
}
