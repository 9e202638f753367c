import type { Tensor } from '../../tensor/tensor.js';
import { normal } from '../../tensor/create.js';
import { add } from '../../ops/arithmetic.js';
import { adaptiveAvgPool2d } from '../../ops/pool.js';
import { flatten } from '../../ops/reshape.js';
import { Module } from '../module.js';
import { ReLU6 } from '../layers/activation.js';
import { Sequential } from '../layers/container.js';
import { Conv2d } from '../layers/conv.js';
import { Dropout } from '../layers/dropout.js';
import { Linear } from '../layers/linear.js';
import { BatchNorm2d } from '../layers/norm.js';
import { convBnAct } from './blocks.js';
import { kaimingConvInit } from './init.js';
import { checkInteger, checkPositive, checkProbability, resolveOptions } from './options.js';

/** Options of {@link MobileNetV2} and {@link mobilenetV2}. */
export interface MobileNetV2Options {
  /** Output classes (default 1000, ImageNet). */
  numClasses?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Scales every layer's channels (rounded to multiples of 8); default 1. */
  widthMult?: number;
  /** Dropout before the classifier (default 0.2). */
  dropout?: number;
}

const DEFAULTS: Required<MobileNetV2Options> = {
  numClasses: 1000,
  inChannels: 3,
  widthMult: 1,
  dropout: 0.2,
};

/** Per stage: expansion t, output channels c, blocks n, stride of the first block s (the paper's table 2). */
const STAGES: readonly [t: number, c: number, n: number, s: number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * `channels` rounded to the nearest multiple of 8, but never below 8 nor more than 10% below
 * `channels` (torchvision's `_make_divisible`, which keeps weights loadable by name and shape).
 */
function makeDivisible(channels: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((channels + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * channels ? rounded + divisor : rounded;
}

/**
 * MobileNetV2's inverted residual block, as torchvision's `InvertedResidual`: a 1×1 conv expanding
 * the channels `expandRatio` times (left out when the ratio is 1), a 3×3 depthwise conv, each
 * with batch norm and ReLU6, then a linear 1×1 projection with batch norm; the input is added
 * back when the stride is 1 and the width does not change.
 */
export class InvertedResidual extends Module {
  conv: Sequential;
  /** Whether the input is added to the output. */
  readonly useResConnect: boolean;

  constructor(inChannels: number, outChannels: number, stride: number, expandRatio: number) {
    super();
    const hidden = Math.round(inChannels * expandRatio);
    const act = { activation: () => new ReLU6() };
    const expand =
      expandRatio === 1
        ? []
        : [new Sequential(...convBnAct(inChannels, hidden, { kernelSize: 1, ...act }))];
    this.conv = new Sequential(
      ...expand,
      new Sequential(...convBnAct(hidden, hidden, { stride, groups: hidden, ...act })),
      new Conv2d(hidden, outChannels, 1, { bias: false }),
      new BatchNorm2d(outChannels),
    );
    this.useResConnect = stride === 1 && inChannels === outChannels;
  }

  forward(x: Tensor): Tensor {
    const out = this.conv.forward(x);
    return this.useResConnect ? add(x, out) : out;
  }
}

/**
 * MobileNetV2 (Sandler et al., 2018), laid out as torchvision's `mobilenet_v2` so that its state
 * dict keys are the same (`features.0.0.weight`, `features.1.conv.0.0.weight`, ...,
 * `classifier.1.weight`): a stride-2 3×3 conv, 17 inverted residual blocks, a 1×1 conv to 1280
 * channels (`features.18`), global average pooling (any input size works) and dropout + linear.
 * 3,504,872 parameters at 1000 classes and width 1. Initialised as torchvision does: convs
 * Kaiming normal (fan-out), the classifier N(0, 0.01²), biases zero.
 */
export class MobileNetV2 extends Module {
  /** The options it was built with, defaults filled in. */
  readonly options: Required<MobileNetV2Options>;
  features: Sequential;
  classifier: Sequential;

  constructor(options: MobileNetV2Options = {}) {
    super();
    const o = resolveOptions('MobileNetV2', DEFAULTS, options);
    checkInteger('MobileNetV2', 'numClasses', o.numClasses);
    checkInteger('MobileNetV2', 'inChannels', o.inChannels);
    checkProbability('MobileNetV2', 'dropout', o.dropout);
    checkPositive('MobileNetV2', 'widthMult', o.widthMult);
    this.options = o;
    const act = { activation: () => new ReLU6() };
    let channels = makeDivisible(32 * o.widthMult);
    // The last conv only ever widens: a narrow model keeps its 1280 features.
    const lastChannels = makeDivisible(1280 * Math.max(1, o.widthMult));
    const blocks: Module[] = [
      new Sequential(...convBnAct(o.inChannels, channels, { stride: 2, ...act })),
    ];
    for (const [t, c, n, s] of STAGES) {
      const out = makeDivisible(c * o.widthMult);
      for (let i = 0; i < n; i++) {
        blocks.push(new InvertedResidual(channels, out, i === 0 ? s : 1, t));
        channels = out;
      }
    }
    blocks.push(new Sequential(...convBnAct(channels, lastChannels, { kernelSize: 1, ...act })));
    this.features = new Sequential(...blocks);
    const fc = new Linear(lastChannels, o.numClasses);
    fc.weight.data.set(normal(fc.weight.shape, 0, 0.01).data);
    fc.bias?.data.fill(0);
    this.classifier = new Sequential(new Dropout(o.dropout), fc);
    kaimingConvInit(this);
  }

  forward(x: Tensor): Tensor {
    const features = adaptiveAvgPool2d(this.features.forward(x), 1);
    return this.classifier.forward(flatten(features, 1));
  }
}

/**
 * MobileNetV2 with torchvision's defaults (`mobilenet_v2`).
 *
 * @example
 * const model = mobilenetV2({ numClasses: 10, widthMult: 0.5 });
 * model.forward(randn([2, 3, 96, 96])).shape; // [2, 10]
 */
export function mobilenetV2(options: MobileNetV2Options = {}): MobileNetV2 {
  return new MobileNetV2(options);
}
