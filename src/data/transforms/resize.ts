import type { SampleTransform } from '../dataset.js';
import { parseSize, type Size } from './params.js';
import { checkSampling, geometric, scaleMap, type Interpolation } from './warp.js';

/**
 * Resizes the image, as torchvision's Resize: to [height, width], or, given one number, so that
 * its shorter side has that length and the aspect ratio is kept (the longer side rounded down).
 * Pixel centres are aligned (align_corners=false) and edge pixels extend outward; 'nearest'
 * picks the pixel whose centre is nearest (PyTorch's 'nearest-exact'). There is no antialiasing:
 * to shrink images a lot, resize them when loading (the image-folder reader does, with sharp).
 *
 * @example
 * const evalTransform = compose([resize(256), centerCrop(224), toFloat()]);
 * resize([32, 32], { interpolation: 'nearest' });
 */
export function resize(
  size: Size,
  { interpolation = 'bilinear' }: { interpolation?: Interpolation } = {},
): SampleTransform {
  parseSize(size, 'resize');
  checkSampling('resize', { interpolation });
  return geometric('resize', (image) => {
    const { height: H, width: W } = image;
    let [h, w] = parseSize(size, 'resize');
    if (typeof size === 'number') {
      const long = Math.floor((size * Math.max(H, W)) / Math.min(H, W));
      [h, w] = H <= W ? [size, long] : [long, size];
    }
    if (h === H && w === W) return null;
    return { map: scaleMap(H, W, h, w), height: h, width: w, interpolation, padding: 'edge' };
  });
}
