import { check } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { interpolate, type InterpolateOptions } from '../../ops/interpolate.js';
import { pixelShuffle, pixelUnshuffle } from '../../ops/pixel-shuffle.js';
import { Module } from '../module.js';
import { checkPositiveInteger } from './args.js';
import { formatArgs } from './repr.js';

/**
 * Resizes the spatial dims to `size` or by `scaleFactor` (give exactly one) with 'nearest'
 * (default), 'nearest-exact', 'linear', 'bilinear', 'bicubic' or 'trilinear' interpolation and
 * PyTorch's alignCorners, as `nn.Upsample`.
 *
 * @example new Upsample({ scaleFactor: 2, mode: 'bilinear' }) // [N, C, 16, 16] → [N, C, 32, 32]
 */
export class Upsample extends Module {
  constructor(readonly options: InterpolateOptions) {
    super();
    check(
      (options.size === undefined) !== (options.scaleFactor === undefined),
      'Upsample',
      () =>
        `give exactly one of size and scaleFactor, got ${options.size === undefined ? 'neither' : 'both'}`,
    );
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, this.options);
  }

  /** PyTorch's repr: the size or the scale factor, and the mode. */
  protected override extraRepr(): string {
    const { size, scaleFactor, mode = 'nearest' } = this.options;
    return formatArgs({ ...(size === undefined ? { scaleFactor } : { size }), mode });
  }
}

/**
 * Moves channels into space, [N, C·r², H, W] → [N, C, H·r, W·r], as `nn.PixelShuffle` (the
 * sub-pixel convolution upsampler).
 *
 * @example new Sequential(new Conv2d(64, 3 * 4, 3, { padding: 1 }), new PixelShuffle(2))
 */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
    checkPositiveInteger('PixelShuffle', 'upscaleFactor', upscaleFactor);
  }

  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }

  protected override extraRepr(): string {
    return `upscaleFactor=${this.upscaleFactor}`;
  }
}

/** Moves space into channels, [N, C, H·r, W·r] → [N, C·r², H, W], as `nn.PixelUnshuffle`. */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) {
    super();
    checkPositiveInteger('PixelUnshuffle', 'downscaleFactor', downscaleFactor);
  }

  forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }

  protected override extraRepr(): string {
    return `downscaleFactor=${this.downscaleFactor}`;
  }
}
