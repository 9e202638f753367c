import type { Tensor } from '../../tensor/tensor.js';
import { flatten } from '../../ops/reshape.js';
import { Module } from '../module.js';
import { Sequential } from '../layers/container.js';
import { Dropout } from '../layers/dropout.js';
import { Linear } from '../layers/linear.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../layers/pool.js';
import { convBnAct } from './blocks.js';
import { checkInteger, checkProbability, resolveOptions } from './options.js';

/** Options of {@link SmallVgg}. */
export interface SmallVggOptions {
  /** Output classes (default 10, CIFAR-10). */
  numClasses?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Channels of the first stage, doubled at each further stage (default 32). */
  width?: number;
  /** Stages, each ending in a 2×2 max pool that halves the resolution (default 3). */
  depth?: number;
  /** 3×3 convs per stage (default 2). */
  convsPerStage?: number;
  /** Dropout before the classifier (default 0.3). */
  dropout?: number;
}

const DEFAULTS: Required<SmallVggOptions> = {
  numClasses: 10,
  inChannels: 3,
  width: 32,
  depth: 3,
  convsPerStage: 2,
  dropout: 0.3,
};

/**
 * A small VGG-style network for 32×32 images such as CIFAR-10: `depth` stages of
 * `convsPerStage` 3×3 convs (each with batch norm and ReLU) and a 2×2 max pool, the width
 * doubling per stage (32-32-M-64-64-M-128-128-M by default), then global average pooling,
 * dropout and a linear classifier. The global pool keeps the head small and lets any input of at
 * least 2^depth pixels a side work. Default: 288,746 parameters and about 38 M multiply-adds per
 * 32×32 image. Layout as torchvision's VGG: `features.N`, `avgpool`, `classifier.1`.
 *
 * @example
 * const model = new SmallVgg({ width: 64 });
 * model.forward(randn([8, 3, 32, 32])).shape; // [8, 10]
 */
export class SmallVgg extends Module {
  /** The options it was built with, defaults filled in. */
  readonly options: Required<SmallVggOptions>;
  features: Sequential;
  avgpool = new AdaptiveAvgPool2d(1);
  classifier: Sequential;

  constructor(options: SmallVggOptions = {}) {
    super();
    const o = resolveOptions('SmallVgg', DEFAULTS, options);
    for (const key of ['numClasses', 'inChannels', 'width', 'depth', 'convsPerStage'] as const) {
      checkInteger('SmallVgg', key, o[key]);
    }
    checkProbability('SmallVgg', 'dropout', o.dropout);
    this.options = o;
    const layers: Module[] = [];
    let channels = o.inChannels;
    for (let stage = 0; stage < o.depth; stage++) {
      const width = o.width * 2 ** stage;
      for (let i = 0; i < o.convsPerStage; i++) {
        layers.push(...convBnAct(channels, width));
        channels = width;
      }
      layers.push(new MaxPool2d(2));
    }
    this.features = new Sequential(...layers);
    this.classifier = new Sequential(new Dropout(o.dropout), new Linear(channels, o.numClasses));
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(flatten(this.avgpool.forward(this.features.forward(x)), 1));
  }
}
