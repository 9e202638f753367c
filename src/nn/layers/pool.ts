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
  type MaxPoolOptions,
} from '../../ops/pool.js';
import { Module } from '../module.js';

type KernelSize = MaxPoolOptions['kernelSize'];

/**
 * A parameter-free layer that applies one pooling function with fixed options; the pooling
 * layers below differ only in the function and how the constructor reads PyTorch's arguments.
 */
abstract class PoolLayer<O> extends Module {
  protected constructor(
    readonly options: O,
    private readonly pool: (x: Tensor, options: O) => Tensor,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.pool(x, this.options);
  }

  protected override extraRepr(): string {
    return Object.entries(this.options as object)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ');
  }
}

const max = (fn: typeof maxPool2d) => (x: Tensor, o: MaxPoolOptions) =>
  fn(x, { ...o, returnIndices: false });

/** Max pooling over [N, C, L], as `nn.MaxPool1d` (stride defaults to the kernel size). */
export class MaxPool1d extends PoolLayer<MaxPoolOptions> {
  constructor(
    kernelSize: KernelSize,
    options: Omit<MaxPoolOptions, 'kernelSize' | 'returnIndices'> = {},
  ) {
    super({ kernelSize, ...options }, max(maxPool1d));
  }
}

/** Max pooling over [N, C, H, W], as `nn.MaxPool2d`. @example new MaxPool2d(2) // halves H and W */
export class MaxPool2d extends PoolLayer<MaxPoolOptions> {
  constructor(
    kernelSize: KernelSize,
    options: Omit<MaxPoolOptions, 'kernelSize' | 'returnIndices'> = {},
  ) {
    super({ kernelSize, ...options }, max(maxPool2d));
  }
}

/** Max pooling over [N, C, D, H, W], as `nn.MaxPool3d`. */
export class MaxPool3d extends PoolLayer<MaxPoolOptions> {
  constructor(
    kernelSize: KernelSize,
    options: Omit<MaxPoolOptions, 'kernelSize' | 'returnIndices'> = {},
  ) {
    super({ kernelSize, ...options }, max(maxPool3d));
  }
}

/** Average pooling over [N, C, L], as `nn.AvgPool1d`. */
export class AvgPool1d extends PoolLayer<AvgPoolOptions> {
  constructor(kernelSize: KernelSize, options: Omit<AvgPoolOptions, 'kernelSize'> = {}) {
    super({ kernelSize, ...options }, avgPool1d);
  }
}

/** Average pooling over [N, C, H, W], as `nn.AvgPool2d`. */
export class AvgPool2d extends PoolLayer<AvgPoolOptions> {
  constructor(kernelSize: KernelSize, options: Omit<AvgPoolOptions, 'kernelSize'> = {}) {
    super({ kernelSize, ...options }, avgPool2d);
  }
}

/** Average pooling over [N, C, D, H, W], as `nn.AvgPool3d`. */
export class AvgPool3d extends PoolLayer<AvgPoolOptions> {
  constructor(kernelSize: KernelSize, options: Omit<AvgPoolOptions, 'kernelSize'> = {}) {
    super({ kernelSize, ...options }, avgPool3d);
  }
}

type Adaptive = { outputSize: AdaptiveOutputSize };

/** Adaptive average pooling to a fixed output length, as `nn.AdaptiveAvgPool1d`. */
export class AdaptiveAvgPool1d extends PoolLayer<Adaptive> {
  constructor(outputSize: AdaptiveOutputSize) {
    super({ outputSize }, (x, o) => adaptiveAvgPool1d(x, o.outputSize));
  }
}

/**
 * Adaptive average pooling to a fixed [H_out, W_out], as `nn.AdaptiveAvgPool2d`: with 1 it is
 * global average pooling, which lets a classifier head accept any input resolution.
 */
export class AdaptiveAvgPool2d extends PoolLayer<Adaptive> {
  constructor(outputSize: AdaptiveOutputSize) {
    super({ outputSize }, (x, o) => adaptiveAvgPool2d(x, o.outputSize));
  }
}

/** Adaptive average pooling to a fixed [D_out, H_out, W_out], as `nn.AdaptiveAvgPool3d`. */
export class AdaptiveAvgPool3d extends PoolLayer<Adaptive> {
  constructor(outputSize: AdaptiveOutputSize) {
    super({ outputSize }, (x, o) => adaptiveAvgPool3d(x, o.outputSize));
  }
}

/** Adaptive max pooling to a fixed output length, as `nn.AdaptiveMaxPool1d`. */
export class AdaptiveMaxPool1d extends PoolLayer<Adaptive> {
  constructor(outputSize: AdaptiveOutputSize) {
    super({ outputSize }, (x, o) => adaptiveMaxPool1d(x, o.outputSize));
  }
}

/** Adaptive max pooling to a fixed [H_out, W_out], as `nn.AdaptiveMaxPool2d`. */
export class AdaptiveMaxPool2d extends PoolLayer<Adaptive> {
  constructor(outputSize: AdaptiveOutputSize) {
    super({ outputSize }, (x, o) => adaptiveMaxPool2d(x, o.outputSize));
  }
}

/** Adaptive max pooling to a fixed [D_out, H_out, W_out], as `nn.AdaptiveMaxPool3d`. */
export class AdaptiveMaxPool3d extends PoolLayer<Adaptive> {
  constructor(outputSize: AdaptiveOutputSize) {
    super({ outputSize }, (x, o) => adaptiveMaxPool3d(x, o.outputSize));
  }
}

type Lp = LpPoolOptions & { normType: number };

/** Power-average pooling (Σxᵖ)^(1/p) over [N, C, L], as `nn.LPPool1d`. */
export class LPPool1d extends PoolLayer<Lp> {
  constructor(
    normType: number,
    kernelSize: KernelSize,
    options: Omit<LpPoolOptions, 'kernelSize'> = {},
  ) {
    super({ normType, kernelSize, ...options }, (x, { normType: p, ...o }) => lpPool1d(x, p, o));
  }
}

/** Power-average pooling (Σxᵖ)^(1/p) over [N, C, H, W], as `nn.LPPool2d`. */
export class LPPool2d extends PoolLayer<Lp> {
  constructor(
    normType: number,
    kernelSize: KernelSize,
    options: Omit<LpPoolOptions, 'kernelSize'> = {},
  ) {
    super({ normType, kernelSize, ...options }, (x, { normType: p, ...o }) => lpPool2d(x, p, o));
  }
}
