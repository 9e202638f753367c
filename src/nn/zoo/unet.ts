import type { Tensor } from '../../tensor/tensor.js';
import { check, fmt } from '../../tensor/errors.js';
import { concat } from '../../ops/concat.js';
import { Module } from '../module.js';
import { Sequential } from '../layers/container.js';
import { Conv2d, ConvTranspose2d } from '../layers/conv.js';
import { MaxPool2d } from '../layers/pool.js';
import { convBnAct } from './blocks.js';
import { checkInteger, resolveOptions } from './options.js';

/** Options of {@link UNet}. */
export interface UNetOptions {
  /** Input channels (default 1). */
  inChannels?: number;
  /** Output channels: one score map per class (default 2). */
  numClasses?: number;
  /** Channels at full resolution, doubled at each level down (default 64). */
  baseWidth?: number;
  /** Down-sampling steps (default 4): inputs must be divisible by 2^depth. */
  depth?: number;
}

const DEFAULTS: Required<UNetOptions> = { inChannels: 1, numClasses: 2, baseWidth: 64, depth: 4 };

/** Two 3×3 convs, each with batch norm and ReLU: one level of the U. */
function doubleConv(inChannels: number, outChannels: number): Sequential {
  return new Sequential(
    ...convBnAct(inChannels, outChannels),
    ...convBnAct(outChannels, outChannels),
  );
}

/**
 * U-Net for segmentation (Ronneberger et al., 2015): an encoder of `depth + 1` double 3×3 convs
 * (with batch norm) separated by 2×2 max pools, the width doubling per level (64 → 1024 by
 * default); a decoder that at each level up-samples with a 2×2 stride-2 transposed conv,
 * concatenates the encoder's output of that level (the skip connection: skip first, then the
 * up-sampled map) and applies a double conv; and a 1×1 conv to `numClasses` score maps. Convs are
 * padded, so the output is [N, numClasses, H, W] for an [N, inChannels, H, W] input with H and W
 * divisible by 2^depth. Default: 31,036,546 parameters.
 *
 * State-dict names: `encoder.L.*` (level L, 0 = full resolution), `upsamplers.i`, `decoder.i.*`
 * (i = 0 is the deepest level), `head`.
 *
 * @example
 * const model = new UNet({ inChannels: 3, numClasses: 5, baseWidth: 16 });
 * model.forward(randn([1, 3, 64, 64])).shape; // [1, 5, 64, 64]
 */
export class UNet extends Module {
  /** The options it was built with, defaults filled in. */
  readonly options: Required<UNetOptions>;
  /** The encoder's levels; a list walked by hand (not a pipeline), keeping each level's output. */
  encoder: Sequential;
  pool = new MaxPool2d(2);
  /** The transposed convs of the decoder, deepest first. */
  upsamplers: Sequential;
  /** The decoder's double convs, deepest first. */
  decoder: Sequential;
  head: Conv2d;

  constructor(options: UNetOptions = {}) {
    super();
    const o = resolveOptions('UNet', DEFAULTS, options);
    for (const key of ['inChannels', 'numClasses', 'baseWidth', 'depth'] as const) {
      checkInteger('UNet', key, o[key]);
    }
    this.options = o;
    const width = (level: number) => o.baseWidth * 2 ** level;
    const levels = Array.from({ length: o.depth + 1 }, (_, l) => l);
    const up = levels.slice(0, -1).reverse();
    this.encoder = new Sequential(
      ...levels.map((l) => doubleConv(l === 0 ? o.inChannels : width(l - 1), width(l))),
    );
    this.upsamplers = new Sequential(
      ...up.map((l) => new ConvTranspose2d(width(l + 1), width(l), 2, { stride: 2 })),
    );
    this.decoder = new Sequential(...up.map((l) => doubleConv(2 * width(l), width(l))));
    this.head = new Conv2d(width(0), o.numClasses, 1);
  }

  forward(x: Tensor): Tensor {
    check(x.ndim === 4, 'UNet', () => `expected an input [N, C, H, W], got shape ${fmt(x.shape)}`);
    const multiple = 2 ** this.options.depth;
    const [h, w] = [x.shape[2], x.shape[3]];
    const [padH, padW] = [h, w].map((n) => Math.ceil(n / multiple) * multiple - n);
    check(
      padH === 0 && padW === 0,
      'UNet',
      () =>
        `height and width must be divisible by 2^depth = ${multiple}, got ${h}×${w} (shape ` +
        `${fmt(x.shape)}); pad the images to ${h + padH}×${w + padW}, e.g. ` +
        `pad(x, [0, ${padW}, 0, ${padH}]), or resize them`,
    );
    const skips: Tensor[] = [];
    for (let l = 0; l < this.encoder.length; l++) {
      x = this.encoder.at(l).forward(l === 0 ? x : this.pool.forward(x));
      skips.push(x);
    }
    skips.pop(); // the bottom of the U feeds the decoder directly
    for (let i = 0; i < this.decoder.length; i++) {
      const upsampled = this.upsamplers.at(i).forward(x);
      x = this.decoder.at(i).forward(concat([skips.pop()!, upsampled], 1));
    }
    return this.head.forward(x);
  }
}
