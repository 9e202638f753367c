import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { ReLU } from './activation.js';
import { Identity } from './container.js';
import { Conv2d } from './conv.js';
import { BatchNorm2d } from './norm.js';

/** Options of DepthwiseSeparableConv2d. */
export interface DepthwiseSeparableOptions {
  stride?: number;
  /** Padding of the depthwise conv (default kernelSize // 2: 'same' size at stride 1). */
  padding?: number;
  /** Bias in both convs (default false: the batch norms that follow make it redundant). */
  bias?: boolean;
  /** Batch norm after each conv (default true). */
  norm?: boolean;
  /** The activation after each conv (default ReLU; pass () => new Identity() for none). */
  activation?: () => Module;
}

/**
 * A depthwise-separable convolution (MobileNet, Xception): a depthwise k×k conv (one filter per
 * input channel, groups = inChannels) then a pointwise 1×1 conv mixing channels, each followed by
 * batch norm and an activation. Costs about 1/outChannels + 1/k² of a full k×k conv.
 * State-dict names: depthwise.*, bn1.*, pointwise.*, bn2.*.
 *
 * @example new DepthwiseSeparableConv2d(32, 64, 3, { stride: 2 }) // [N, 32, 56, 56] → [N, 64, 28, 28]
 */
export class DepthwiseSeparableConv2d extends Module {
  depthwise: Conv2d;
  bn1: Module;
  act1: Module;
  pointwise: Conv2d;
  bn2: Module;
  act2: Module;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    options: DepthwiseSeparableOptions = {},
  ) {
    super();
    const { stride = 1, padding = Math.floor(kernelSize / 2), bias = false, norm = true } = options;
    const activation = options.activation ?? (() => new ReLU());
    this.depthwise = new Conv2d(inChannels, inChannels, kernelSize, {
      stride,
      padding,
      groups: inChannels,
      bias,
    });
    this.bn1 = norm ? new BatchNorm2d(inChannels) : new Identity();
    this.act1 = activation();
    this.pointwise = new Conv2d(inChannels, outChannels, 1, { bias });
    this.bn2 = norm ? new BatchNorm2d(outChannels) : new Identity();
    this.act2 = activation();
  }

  forward(x: Tensor): Tensor {
    const h = this.act1.forward(this.bn1.forward(this.depthwise.forward(x)));
    return this.act2.forward(this.bn2.forward(this.pointwise.forward(h)));
  }
}
