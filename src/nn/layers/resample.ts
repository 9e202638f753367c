import type { Tensor } from '../../tensor/tensor.js';
import { interpolate, type InterpolateOptions } from '../../ops/interpolate.js';
import { pixelShuffle, pixelUnshuffle } from '../../ops/pixel-shuffle.js';
import { Module } from '../module.js';

/**
 * Resizes the spatial dims by `size` or `scaleFactor` with nearest/linear/cubic interpolation, as
 * `nn.Upsample`.
 *
 * @example new Upsample({ scaleFactor: 2, mode: 'bilinear' })
 */
export class Upsample extends Module {
  constructor(readonly options: InterpolateOptions) {
    super();
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, this.options);
  }

  protected override extraRepr(): string {
    return Object.entries(this.options)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ');
  }
}

/** [N, C·r², H, W] → [N, C, H·r, W·r], as `nn.PixelShuffle` (sub-pixel up-sampling). */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
  }

  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }

  protected override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }
}

/** [N, C, H·r, W·r] → [N, C·r², H, W], as `nn.PixelUnshuffle`. */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) {
    super();
  }

  forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }

  protected override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }
}
