import { check, fmt } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  adaptiveMaxPool3d,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  lpPool1d,
  lpPool2d,
  maxPool1d,
  maxPool2d,
  maxPool3d,
  type AdaptiveOutputSize,
  type AvgPoolOptions,
  type LpPoolOptions,
  type MaxPool,
  type MaxPoolOptions,
} from '../../ops/pool.js';
import { slidingWindows } from '../../ops/pool-windows.js';
import { Module } from '../module.js';
import { formatArgs } from './repr.js';

/** A window size: one number for every spatial dim, or one per dim. */
export type KernelSize = number | readonly number[];

/** Options of MaxPool1d/2d/3d (PyTorch's keyword arguments; stride defaults to kernelSize). */
export type MaxPoolLayerOptions = Omit<MaxPoolOptions, 'kernelSize' | 'returnIndices'>;

/** Options of AvgPool1d/2d/3d. */
export type AvgPoolLayerOptions = Omit<AvgPoolOptions, 'kernelSize'>;

/** Options of LPPool1d/2d. */
export type LpPoolLayerOptions = Omit<LpPoolOptions, 'kernelSize'>;

/**
 * A parameter-free layer that applies one pooling op with fixed options. The families below
 * (max, average, adaptive, Lp) differ in how they read PyTorch's arguments; their 1d/2d/3d
 * classes only fix the number of spatial dims and the op. `options` is what the op receives.
 */
abstract class PoolLayer<O extends object> extends Module {
  protected constructor(
    readonly options: O,
    private readonly pool: (x: Tensor, options: O) => Tensor,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.pool(x, this.options);
  }

  /** Checks the window options for d spatial dims now, so a bad layer fails when built. */
  protected checkWindows(d: number): void {
    const layer = this.constructor.name;
    const { kernel, padding } = slidingWindows(this.options as MaxPoolOptions, d, layer);
    check(
      padding.every((p, i) => p <= Math.floor(kernel[i] / 2)),
      layer,
      () => `padding ${fmt(padding)} must be at most half of kernelSize ${fmt(kernel)}`,
    );
  }
}

/** Max pooling with d spatial dims. */
abstract class MaxPoolNd extends PoolLayer<MaxPoolOptions> {
  protected constructor(
    d: number,
    op: MaxPool,
    kernelSize: KernelSize,
    options: MaxPoolLayerOptions,
  ) {
    super({ kernelSize, ...options }, (x, o) => op(x, { ...o, returnIndices: false }));
    this.checkWindows(d);
  }

  /** PyTorch's repr: every argument, stride defaulting to the kernel size. */
  protected override extraRepr(): string {
    const { kernelSize, stride, padding = 0, dilation = 1, ceilMode = false } = this.options;
    return formatArgs({ kernelSize, stride: stride ?? kernelSize, padding, dilation, ceilMode });
  }
}

/** Max pooling over [N, C, L] or [C, L], as `nn.MaxPool1d` (stride defaults to the kernel size). */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: KernelSize, options: MaxPoolLayerOptions = {}) {
    super(1, maxPool1d, kernelSize, options);
  }
}

/**
 * Max pooling over [N, C, H, W] or [C, H, W], as `nn.MaxPool2d`; options stride (default
 * kernelSize), padding, dilation, ceilMode.
 *
 * @example new MaxPool2d(2) // [N, C, 28, 28] → [N, C, 14, 14]
 */
export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: KernelSize, options: MaxPoolLayerOptions = {}) {
    super(2, maxPool2d, kernelSize, options);
  }
}

/** Max pooling over [N, C, D, H, W] or [C, D, H, W], as `nn.MaxPool3d`. */
export class MaxPool3d extends MaxPoolNd {
  constructor(kernelSize: KernelSize, options: MaxPoolLayerOptions = {}) {
    super(3, maxPool3d, kernelSize, options);
  }
}

/** Average pooling with d spatial dims. */
abstract class AvgPoolNd extends PoolLayer<AvgPoolOptions> {
  protected constructor(
    d: number,
    op: (x: Tensor, options: AvgPoolOptions) => Tensor,
    kernelSize: KernelSize,
    options: AvgPoolLayerOptions,
  ) {
    super({ kernelSize, ...options }, op);
    this.checkWindows(d);
  }

  /** PyTorch's repr: kernel, stride and padding (PyTorch prints no more). */
  protected override extraRepr(): string {
    const { kernelSize, stride, padding = 0 } = this.options;
    return formatArgs({ kernelSize, stride: stride ?? kernelSize, padding });
  }
}

/** Average pooling over [N, C, L] or [C, L], as `nn.AvgPool1d`. */
export class AvgPool1d extends AvgPoolNd {
  constructor(kernelSize: KernelSize, options: AvgPoolLayerOptions = {}) {
    super(1, avgPool1d, kernelSize, options);
  }
}

/**
 * Average pooling over [N, C, H, W] or [C, H, W], as `nn.AvgPool2d`; options stride (default
 * kernelSize), padding, ceilMode, countIncludePad (default true), divisorOverride.
 *
 * @example new AvgPool2d(2) // [N, C, 8, 8] → [N, C, 4, 4]
 */
export class AvgPool2d extends AvgPoolNd {
  constructor(kernelSize: KernelSize, options: AvgPoolLayerOptions = {}) {
    super(2, avgPool2d, kernelSize, options);
  }
}

/** Average pooling over [N, C, D, H, W] or [C, D, H, W], as `nn.AvgPool3d`. */
export class AvgPool3d extends AvgPoolNd {
  constructor(kernelSize: KernelSize, options: AvgPoolLayerOptions = {}) {
    super(3, avgPool3d, kernelSize, options);
  }
}

type Adaptive = { outputSize: AdaptiveOutputSize };

/** Adaptive (average or max) pooling to a fixed output size over d spatial dims. */
abstract class AdaptivePoolNd extends PoolLayer<Adaptive> {
  protected constructor(
    d: number,
    op: (x: Tensor, outputSize: AdaptiveOutputSize) => Tensor,
    outputSize: AdaptiveOutputSize,
  ) {
    super({ outputSize }, (x, o) => op(x, o.outputSize));
    const sizes = typeof outputSize === 'number' ? [outputSize] : outputSize;
    check(
      (typeof outputSize === 'number' || sizes.length === d) &&
        sizes.every((n) => n === null || (Number.isInteger(n) && n > 0)),
      this.constructor.name,
      () =>
        `outputSize must be a positive integer or a list of ${d} (null keeps that input size), got ${JSON.stringify(outputSize)}`,
    );
  }

  protected override extraRepr(): string {
    return formatArgs(this.options);
  }
}

/** Adaptive average pooling of [N, C, L] to a fixed length, as `nn.AdaptiveAvgPool1d`. */
export class AdaptiveAvgPool1d extends AdaptivePoolNd {
  constructor(outputSize: AdaptiveOutputSize) {
    super(1, adaptiveAvgPool1d, outputSize);
  }
}

/**
 * Adaptive average pooling of [N, C, H, W] to a fixed [H_out, W_out], as `nn.AdaptiveAvgPool2d`:
 * with 1 it is global average pooling, which lets a classifier head accept any input resolution.
 *
 * @example new AdaptiveAvgPool2d(1) // [N, 512, 7, 7] → [N, 512, 1, 1]
 */
export class AdaptiveAvgPool2d extends AdaptivePoolNd {
  constructor(outputSize: AdaptiveOutputSize) {
    super(2, adaptiveAvgPool2d, outputSize);
  }
}

/** Adaptive average pooling of [N, C, D, H, W] to a fixed size, as `nn.AdaptiveAvgPool3d`. */
export class AdaptiveAvgPool3d extends AdaptivePoolNd {
  constructor(outputSize: AdaptiveOutputSize) {
    super(3, adaptiveAvgPool3d, outputSize);
  }
}

/** Adaptive max pooling of [N, C, L] to a fixed length, as `nn.AdaptiveMaxPool1d`. */
export class AdaptiveMaxPool1d extends AdaptivePoolNd {
  constructor(outputSize: AdaptiveOutputSize) {
    super(1, (x, size) => adaptiveMaxPool1d(x, size), outputSize);
  }
}

/** Adaptive max pooling of [N, C, H, W] to a fixed [H_out, W_out], as `nn.AdaptiveMaxPool2d`. */
export class AdaptiveMaxPool2d extends AdaptivePoolNd {
  constructor(outputSize: AdaptiveOutputSize) {
    super(2, (x, size) => adaptiveMaxPool2d(x, size), outputSize);
  }
}

/** Adaptive max pooling of [N, C, D, H, W] to a fixed size, as `nn.AdaptiveMaxPool3d`. */
export class AdaptiveMaxPool3d extends AdaptivePoolNd {
  constructor(outputSize: AdaptiveOutputSize) {
    super(3, (x, size) => adaptiveMaxPool3d(x, size), outputSize);
  }
}

type Lp = LpPoolOptions & { normType: number };

/** Power-average pooling over d spatial dims. */
abstract class LPPoolNd extends PoolLayer<Lp> {
  protected constructor(
    d: number,
    op: (x: Tensor, normType: number, options: LpPoolOptions) => Tensor,
    normType: number,
    kernelSize: KernelSize,
    options: LpPoolLayerOptions,
  ) {
    super({ normType, kernelSize, ...options }, (x, { normType: p, ...o }) => op(x, p, o));
    check(
      typeof normType === 'number' && normType > 0,
      this.constructor.name,
      () => `normType must be a positive number, got ${normType}`,
    );
    this.checkWindows(d);
  }

  /** PyTorch's repr, with stride null when it defaults to the kernel size. */
  protected override extraRepr(): string {
    const { normType, kernelSize, stride = null, ceilMode = false } = this.options;
    return formatArgs({ normType, kernelSize, stride, ceilMode });
  }
}

/** Power-average pooling (Σxᵖ)^(1/p) over [N, C, L], as `nn.LPPool1d`. */
export class LPPool1d extends LPPoolNd {
  constructor(normType: number, kernelSize: KernelSize, options: LpPoolLayerOptions = {}) {
    super(1, lpPool1d, normType, kernelSize, options);
  }
}

/**
 * Power-average pooling (Σxᵖ)^(1/p) over [N, C, H, W], as `nn.LPPool2d` (p = 1: sum pooling,
 * p → ∞: max pooling).
 *
 * @example new LPPool2d(2, 3, { stride: 2 })
 */
export class LPPool2d extends LPPoolNd {
  constructor(normType: number, kernelSize: KernelSize, options: LpPoolLayerOptions = {}) {
    super(2, lpPool2d, normType, kernelSize, options);
  }
}
