import type { Tensor } from '../../tensor/tensor.js';
import { flatten } from '../../ops/reshape.js';
import { Module } from '../module.js';
import { Linear } from '../layers/linear.js';
import { ReLU } from '../layers/activation.js';
import { Conv2d } from '../layers/conv.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pool.js';
import { checkInteger, resolveOptions } from './options.js';

/** Options of {@link LeNet5}. */
export interface LeNet5Options {
  /** Output classes (default 10). */
  numClasses?: number;
  /** Input channels (default 1, grey digits). */
  inChannels?: number;
}

const DEFAULTS: Required<LeNet5Options> = { numClasses: 10, inChannels: 1 };

/**
 * LeNet-5 (LeCun et al., 1998) for 1×28×28 images: conv 6@5×5, pool, conv 16@5×5, pool,
 * fully connected 120, 84, classes — with today's ReLU and max pooling in place of the original
 * scaled tanh and trainable subsampling. conv1 pads by 2, standing in for the paper's padding of
 * 28×28 digits to 32×32; 32×32 inputs work too (and any size from 12×12 up), since an adaptive
 * average pool brings the last feature map to the 5×5 the head expects (at 28×28 it is already
 * 5×5 and the pool changes nothing). Parameter names are those of PyTorch's tutorial LeNet
 * (`conv1`, `conv2`, `fc1`, `fc2`, `fc3`). 61,706 parameters at 10 classes.
 *
 * @example
 * const model = new LeNet5();
 * model.forward(randn([8, 1, 28, 28])).shape; // [8, 10]
 */
export class LeNet5 extends Module {
  /** The options it was built with, defaults filled in. */
  readonly options: Required<LeNet5Options>;
  conv1: Conv2d;
  relu = new ReLU();
  pool = new MaxPool2d(2);
  conv2: Conv2d;
  avgpool = new AdaptiveAvgPool2d(5);
  fc1: Linear;
  fc2: Linear;
  fc3: Linear;

  constructor(options: LeNet5Options = {}) {
    super();
    const o = resolveOptions('LeNet5', DEFAULTS, options);
    checkInteger('LeNet5', 'numClasses', o.numClasses);
    checkInteger('LeNet5', 'inChannels', o.inChannels);
    this.options = o;
    this.conv1 = new Conv2d(o.inChannels, 6, 5, { padding: 2 });
    this.conv2 = new Conv2d(6, 16, 5);
    this.fc1 = new Linear(16 * 5 * 5, 120);
    this.fc2 = new Linear(120, 84);
    this.fc3 = new Linear(84, o.numClasses);
  }

  forward(x: Tensor): Tensor {
    x = this.pool.forward(this.relu.forward(this.conv1.forward(x)));
    x = this.avgpool.forward(this.pool.forward(this.relu.forward(this.conv2.forward(x))));
    x = this.relu.forward(this.fc1.forward(flatten(x, 1)));
    return this.fc3.forward(this.relu.forward(this.fc2.forward(x)));
  }
}
