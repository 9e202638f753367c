import { check } from '../../tensor/errors.js';
import type { SampleTransform } from '../dataset.js';
import { roundHalfEven } from '../../backend/round.js';
import { checkRange, drawBox, parseSize, type Range, type Size } from './params.js';
import {
  checkSampling,
  geometric,
  scaleMap,
  type Interpolation,
  type PaddingMode,
} from './warp.js';

/**
 * Options of randomCrop, as torchvision's RandomCrop.
 *
 * @example
 * randomCrop(32, { padding: 4, paddingMode: 'reflect' });
 */
export interface RandomCropOptions {
  /**
   * Pixels added before cropping: one number for every side, [left/right, top/bottom], or
   * [left, top, right, bottom] (default 0).
   */
  padding?: number | readonly [number, number] | readonly [number, number, number, number];
  /** What the padding holds (default 'constant': `fill`). */
  paddingMode?: PaddingMode;
  /** The padding's value in 'constant' mode, in the image's units (default 0). */
  fill?: number;
}

/** [left, top, right, bottom] of a torchvision padding argument. */
function parsePadding(padding: NonNullable<RandomCropOptions['padding']>): number[] {
  const sides =
    typeof padding === 'number'
      ? [padding, padding, padding, padding]
      : padding.length === 2
        ? [padding[0], padding[1], padding[0], padding[1]]
        : [...padding];
  check(
    sides.length === 4 && sides.every((n) => Number.isInteger(n) && n >= 0),
    'randomCrop',
    () =>
      `padding must be a non-negative integer, [left/right, top/bottom] or [left, top, right, bottom], got ${JSON.stringify(padding)}`,
  );
  return sides;
}

/**
 * A random `size` window of the image, after padding its sides, as torchvision's RandomCrop: the
 * classic CIFAR augmentation is `randomCrop(32, { padding: 4 })`. Every window position of the
 * padded image is equally likely.
 *
 * @example
 * const augment = compose([randomCrop(28, { padding: 2, paddingMode: 'reflect' }), toFloat()]);
 */
export function randomCrop(size: Size, options: RandomCropOptions = {}): SampleTransform {
  const { padding = 0, paddingMode = 'constant', fill = 0 } = options;
  const [h, w] = parseSize(size, 'randomCrop');
  const [padLeft, padTop, padRight, padBottom] = parsePadding(padding);
  checkSampling('randomCrop', { padding: paddingMode });
  return geometric('randomCrop', (image, g) => {
    const [H, W] = [image.height + padTop + padBottom, image.width + padLeft + padRight];
    check(
      h <= H && w <= W,
      'randomCrop',
      () =>
        `crop size ${h}×${w} is larger than the ${padding ? 'padded ' : ''}image ${H}×${W}; ` +
        `crop smaller or add padding`,
    );
    const top = g.integer(0, H - h + 1) - padTop;
    const left = g.integer(0, W - w + 1) - padLeft;
    return {
      map: [1, 0, left, 0, 1, top],
      height: h,
      width: w,
      interpolation: 'nearest',
      padding: paddingMode,
      fill,
    };
  });
}

/** Where a centred window of length n starts on an axis of length N (negative: padding). */
function centred(N: number, n: number): number {
  // torchvision rounds as Python does, and pads a too-small image by ⌊(n − N)/2⌋ before.
  return N >= n ? roundHalfEven((N - n) / 2) : -Math.floor((n - N) / 2);
}

/**
 * The central `size` window of the image, as torchvision's CenterCrop; an image smaller than the
 * window is padded with zeros around it.
 *
 * @example
 * const evalTransform = compose([resize(256), centerCrop(224), toFloat()]);
 */
export function centerCrop(size: Size): SampleTransform {
  const [h, w] = parseSize(size, 'centerCrop');
  return geometric('centerCrop', (image) => ({
    map: [1, 0, centred(image.width, w), 0, 1, centred(image.height, h)],
    height: h,
    width: w,
    interpolation: 'nearest',
  }));
}

/**
 * Options of randomResizedCrop, as torchvision's RandomResizedCrop.
 *
 * @example
 * randomResizedCrop(224, { scale: [0.35, 1] });
 */
export interface RandomResizedCropOptions {
  /** The window's area as a fraction of the image's, drawn uniformly (default [0.08, 1]). */
  scale?: Range;
  /** The window's width/height, drawn log-uniformly (default [3/4, 4/3]). */
  ratio?: Range;
  /** Default 'bilinear'. */
  interpolation?: Interpolation;
}

/**
 * A window of random area and aspect ratio, resized to `size`, as torchvision's RandomResizedCrop
 * (the ImageNet "Inception" crop): up to 10 draws of a window that fits in the image, else the
 * largest centred window whose aspect ratio lies within `ratio`. The resize reads only the window
 * (edge pixels repeated) and does not antialias.
 *
 * @example
 * const augment = compose([randomResizedCrop(224), randomHorizontalFlip(), toFloat()]);
 */
export function randomResizedCrop(
  size: Size,
  options: RandomResizedCropOptions = {},
): SampleTransform {
  const { scale = [0.08, 1], ratio = [3 / 4, 4 / 3], interpolation = 'bilinear' } = options;
  const op = 'randomResizedCrop';
  const [h, w] = parseSize(size, op);
  checkRange(scale, op, 'scale', 0, 1);
  checkRange(ratio, op, 'ratio', Number.MIN_VALUE);
  checkSampling(op, { interpolation });
  return geometric(op, (image, g) => {
    const { height: H, width: W } = image;
    let window: [number, number, number, number] | null = null;
    for (let attempt = 0; attempt < 10 && !window; attempt++) {
      const { area, aspect } = drawBox(g, H * W, scale, ratio);
      const cw = roundHalfEven(Math.sqrt(area * aspect));
      const ch = roundHalfEven(Math.sqrt(area / aspect));
      if (cw > 0 && cw <= W && ch > 0 && ch <= H)
        window = [g.integer(0, H - ch + 1), g.integer(0, W - cw + 1), ch, cw];
    }
    if (!window) {
      const [cw, ch] =
        W / H < ratio[0]
          ? [W, roundHalfEven(W / ratio[0])]
          : W / H > ratio[1]
            ? [roundHalfEven(H * ratio[1]), H]
            : [W, H];
      window = [Math.floor((H - ch) / 2), Math.floor((W - cw) / 2), ch, cw];
    }
    return {
      map: scaleMap(window[2], window[3], h, w),
      height: h,
      width: w,
      interpolation,
      padding: 'edge',
      region: window,
    };
  });
}
