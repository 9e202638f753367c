import type { Tensor } from '../../tensor/tensor.js';
import { check } from '../../tensor/errors.js';
import { add } from '../../ops/arithmetic.js';
import { flatten } from '../../ops/reshape.js';
import { Module } from '../module.js';
import { ReLU } from '../layers/activation.js';
import { Identity, Sequential } from '../layers/container.js';
import { Conv2d } from '../layers/conv.js';
import { Linear } from '../layers/linear.js';
import { BatchNorm2d } from '../layers/norm.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pool.js';
import { kaimingConvInit } from './init.js';
import { checkInteger, resolveOptions } from './options.js';

/** Options of {@link ResNet}, {@link resnet18} and {@link resnet34}. */
export interface ResNetOptions {
  /** Output classes (default 1000, ImageNet). */
  numClasses?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /**
   * 'imagenet' (default): conv1 7×7 stride 2 and a 3×3 stride-2 max pool, for 224×224 images.
   * 'cifar': conv1 3×3 stride 1 and no max pool (`maxpool` is an Identity), for 32×32 images,
   * which the ImageNet stem would shrink to 8×8 before the first block.
   */
  stem?: 'imagenet' | 'cifar';
}

const DEFAULTS: Required<ResNetOptions> = { numClasses: 1000, inChannels: 3, stem: 'imagenet' };

/**
 * ResNet's basic block, as torchvision's `BasicBlock`: two 3×3 convs with batch norm, added to
 * the input (through `downsample`, a strided 1×1 conv + batch norm, when the shape changes),
 * then ReLU.
 */
export class BasicBlock extends Module {
  conv1: Conv2d;
  bn1: BatchNorm2d;
  relu = new ReLU();
  conv2: Conv2d;
  bn2: BatchNorm2d;
  downsample: Sequential | null;

  constructor(inChannels: number, channels: number, stride = 1) {
    super();
    this.conv1 = new Conv2d(inChannels, channels, 3, { stride, padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(channels);
    this.conv2 = new Conv2d(channels, channels, 3, { padding: 1, bias: false });
    this.bn2 = new BatchNorm2d(channels);
    this.downsample =
      stride !== 1 || inChannels !== channels
        ? new Sequential(
            new Conv2d(inChannels, channels, 1, { stride, bias: false }),
            new BatchNorm2d(channels),
          )
        : null;
  }

  forward(x: Tensor): Tensor {
    const out = this.bn1.forward(this.conv1.forward(x));
    const body = this.bn2.forward(this.conv2.forward(this.relu.forward(out)));
    return this.relu.forward(add(body, this.downsample ? this.downsample.forward(x) : x));
  }
}

/**
 * ResNet with basic blocks (He et al., 2015), laid out as torchvision's so that its state dict
 * keys are the same (`conv1`, `bn1`, `layer1.0.conv1`, ..., `layer2.0.downsample.0`, `fc`):
 * a stem, four stages of `layers[i]` blocks with 64, 128, 256, 512 channels (stages 2–4 halve
 * the resolution), global average pooling (any input size works) and a linear head. Convs start
 * as torchvision initialises them (Kaiming normal, fan-out). Use {@link resnet18} or
 * {@link resnet34}.
 */
export class ResNet extends Module {
  /** The options it was built with, defaults filled in. */
  readonly options: Required<ResNetOptions>;
  conv1: Conv2d;
  bn1: BatchNorm2d;
  relu = new ReLU();
  maxpool: MaxPool2d | Identity;
  layer1: Sequential;
  layer2: Sequential;
  layer3: Sequential;
  layer4: Sequential;
  avgpool = new AdaptiveAvgPool2d(1);
  fc: Linear;

  /** `layers`: the number of basic blocks in each of the four stages ([2, 2, 2, 2] for ResNet-18). */
  constructor(layers: readonly number[], options: ResNetOptions = {}) {
    super();
    const o = resolveOptions('ResNet', DEFAULTS, options);
    checkInteger('ResNet', 'numClasses', o.numClasses);
    checkInteger('ResNet', 'inChannels', o.inChannels);
    check(
      o.stem === 'imagenet' || o.stem === 'cifar',
      'ResNet',
      () => `option 'stem' must be 'imagenet' or 'cifar', got '${o.stem}'`,
    );
    check(
      layers.length === 4 && layers.every((n) => Number.isInteger(n) && n >= 1),
      'ResNet',
      () => `layers must be 4 block counts ≥ 1, e.g. [2, 2, 2, 2], got [${layers.join(', ')}]`,
    );
    this.options = o;
    const imagenet = o.stem === 'imagenet';
    this.conv1 = imagenet
      ? new Conv2d(o.inChannels, 64, 7, { stride: 2, padding: 3, bias: false })
      : new Conv2d(o.inChannels, 64, 3, { padding: 1, bias: false });
    this.bn1 = new BatchNorm2d(64);
    this.maxpool = imagenet ? new MaxPool2d(3, { stride: 2, padding: 1 }) : new Identity();
    this.layer1 = stage(64, 64, layers[0], 1);
    this.layer2 = stage(64, 128, layers[1], 2);
    this.layer3 = stage(128, 256, layers[2], 2);
    this.layer4 = stage(256, 512, layers[3], 2);
    this.fc = new Linear(512, o.numClasses);
    kaimingConvInit(this);
  }

  forward(x: Tensor): Tensor {
    x = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));
    for (const layer of [this.layer1, this.layer2, this.layer3, this.layer4]) x = layer.forward(x);
    return this.fc.forward(flatten(this.avgpool.forward(x), 1));
  }
}

/** `blocks` basic blocks, the first one taking the stride and the change of width. */
function stage(inChannels: number, channels: number, blocks: number, stride: number): Sequential {
  const first = new BasicBlock(inChannels, channels, stride);
  const rest = Array.from({ length: blocks - 1 }, () => new BasicBlock(channels, channels));
  return new Sequential(first, ...rest);
}

/**
 * ResNet-18: [2, 2, 2, 2] basic blocks, 11,689,512 parameters at 1000 classes (torchvision's
 * `resnet18`, whose weights load by name). With `stem: 'cifar'` it is the usual CIFAR ResNet-18.
 *
 * @example
 * const model = resnet18({ stem: 'cifar', numClasses: 10 });
 * model.forward(randn([4, 3, 32, 32])).shape; // [4, 10]
 */
export function resnet18(options: ResNetOptions = {}): ResNet {
  return new ResNet([2, 2, 2, 2], options);
}

/**
 * ResNet-34: [3, 4, 6, 3] basic blocks, 21,797,672 parameters at 1000 classes (torchvision's
 * `resnet34`).
 *
 * @example
 * resnet34().forward(randn([1, 3, 224, 224])).shape; // [1, 1000]
 */
export function resnet34(options: ResNetOptions = {}): ResNet {
  return new ResNet([3, 4, 6, 3], options);
}
