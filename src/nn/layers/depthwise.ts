import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { ReLU } from './activation.js';
import { Identity } from './container.js';
import { Conv2d } from './conv.js';
import { BatchNorm2d } from './norm.js';

/** Options of DepthwiseSeparableConv2d. */
export interface DepthwiseSeparableOptions {
  /** Stride of the depthwise conv (default 1). */
  stride?: number | readonly number[];
  /** Padding of the depthwise conv (default ⌊kernelSize / 2⌋: same size at stride 1, odd k). */
  padding?: number | readonly number[];
  /** A bias in both convs (default false: the batch norms after them make it redundant). */
  bias?: boolean;
  /** Batch norm after each conv (default true). */
  norm?: boolean;
  /** Makes the activation after each conv (default ReLU); null for none. */
  activation?: (() => Module) | null;
}

/**
 * A depthwise-separable convolution (MobileNet, Xception): a depthwise k×k conv (one filter per
 * input channel, groups = inChannels), batch norm and an activation, then a pointwise 1×1 conv
 * mixing the channels, batch norm and an activation. It costs about 1/outChannels + 1/k² of a full
 * k×k conv's multiply-adds and parameters. Without `norm` the batch norms, and with
 * `activation: null` the activations, are Identity. Children (and state-dict names): depthwise,
 * bn1, act1, pointwise, bn2, act2.
 *
 * @example
 * new DepthwiseSeparableConv2d(32, 64, 3, { stride: 2 }); // [N, 32, 56, 56] → [N, 64, 28, 28]
 * new DepthwiseSeparableConv2d(32, 64, 3, { activation: () => new ReLU6() });
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
    const activation = options.activation === undefined ? () => new ReLU() : options.activation;
    const act = () => (activation ? activation() : new Identity());
    const bn = (channels: number) => (norm ? new BatchNorm2d(channels) : new Identity());
    this.depthwise = new Conv2d(inChannels, inChannels, kernelSize, {
      stride,
      padding,
      groups: inChannels,
      bias,
    });
    this.bn1 = bn(inChannels);
    this.act1 = act();
    this.pointwise = new Conv2d(inChannels, outChannels, 1, { bias });
    this.bn2 = bn(outChannels);
    this.act2 = act();
  }

  forward(x: Tensor): Tensor {
    const h = this.act1.forward(this.bn1.forward(this.depthwise.forward(x)));
    return this.act2.forward(this.bn2.forward(this.pointwise.forward(h)));
  }
}
