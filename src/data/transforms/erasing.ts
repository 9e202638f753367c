import { check } from '../../tensor/errors.js';
import type { SampleTransform } from '../dataset.js';
import { imageTensor, pixelBuffer, readImage } from './image.js';
import { roundHalfEven } from '../../backend/round.js';
import { checkProbability, checkRange, drawBox, type Range } from './params.js';

/**
 * Options of randomErasing, with torchvision RandomErasing's names and defaults.
 *
 * @example
 * randomErasing({ p: 0.25, value: 'random' });
 */
export interface RandomErasingOptions {
  /** Probability of erasing (default 0.5). */
  p?: number;
  /** The box's area as a fraction of the image's, drawn uniformly (default [0.02, 0.33]). */
  scale?: Range;
  /** The box's height/width, drawn log-uniformly (default [0.3, 3.3]). */
  ratio?: Range;
  /**
   * What the box holds, in the image's units: one value, one per channel, or 'random' (standard
   * normal noise, for normalized float images) (default 0).
   */
  value?: number | readonly number[] | 'random';
}

/**
 * Erases a random box of the image (cutout), as torchvision's RandomErasing: with probability `p`,
 * up to 10 draws of a box of random area and aspect ratio until one fits strictly inside the
 * image, then fills it with `value`; when none fits the image is unchanged. Usually placed after
 * toFloat and normalize, as in torchvision.
 *
 * @example
 * const augment = compose([toFloat(), normalize(stats), randomErasing({ p: 0.25 })]);
 */
export function randomErasing(options: RandomErasingOptions = {}): SampleTransform {
  const op = 'randomErasing';
  const { p = 0.5, scale = [0.02, 0.33], ratio = [0.3, 3.3], value = 0 } = options;
  checkProbability(p, op);
  checkRange(scale, op, 'scale', 0, 1);
  checkRange(ratio, op, 'ratio', Number.MIN_VALUE);
  return (sample, g) => {
    const image = readImage(sample.input, op);
    const { channels: C, height: H, width: W } = image;
    const values = typeof value === 'number' ? [value] : value;
    check(
      values === 'random' || values.length === 1 || values.length === C,
      op,
      () => `value needs 1 or ${C} entries (one per channel), got ${JSON.stringify(value)}`,
    );
    if (g.uniform() >= p) return sample;
    for (let attempt = 0; attempt < 10; attempt++) {
      const { area, aspect } = drawBox(g, H * W, scale, ratio);
      const h = roundHalfEven(Math.sqrt(area * aspect));
      const w = roundHalfEven(Math.sqrt(area / aspect));
      if (h >= H || w >= W) continue;
      const [top, left] = [g.integer(0, H - h + 1), g.integer(0, W - w + 1)];
      const pixels = pixelBuffer(image.dtype, image.data.length);
      pixels.set(image.data);
      for (let c = 0; c < C; c++) {
        for (let y = top; y < top + h; y++) {
          for (let x = left; x < left + w; x++)
            pixels[(c * H + y) * W + x] =
              values === 'random' ? g.normal() : values[values.length === 1 ? 0 : c];
        }
      }
      return { ...sample, input: imageTensor(pixels, sample.input.shape, image.dtype) };
    }
    return sample;
  };
}
