import type { SampleTransform } from '../dataset.js';
import type { Image } from './image.js';
import { checkProbability } from './params.js';
import { geometric, type Affine } from './warp.js';

function randomFlip(op: string, p: number, mirror: (image: Image) => Affine): SampleTransform {
  checkProbability(p, op);
  return geometric(op, (image, g) =>
    g.uniform() < p
      ? { map: mirror(image), height: image.height, width: image.width, interpolation: 'nearest' }
      : null,
  );
}

/**
 * Mirrors the image left–right (reverses its columns) with probability `p` (default 0.5), as
 * torchvision's RandomHorizontalFlip.
 *
 * @example
 * const augment = compose([randomHorizontalFlip(), toFloat()]);
 */
export function randomHorizontalFlip({ p = 0.5 }: { p?: number } = {}): SampleTransform {
  return randomFlip('randomHorizontalFlip', p, (image) => [-1, 0, image.width - 1, 0, 1, 0]);
}

/**
 * Mirrors the image top–bottom (reverses its rows) with probability `p` (default 0.5), as
 * torchvision's RandomVerticalFlip.
 *
 * @example
 * const augment = randomVerticalFlip({ p: 0.1 });
 */
export function randomVerticalFlip({ p = 0.5 }: { p?: number } = {}): SampleTransform {
  return randomFlip('randomVerticalFlip', p, (image) => [1, 0, 0, 0, -1, image.height - 1]);
}
