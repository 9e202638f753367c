import sharp from 'sharp';
import { colorMap } from '../analysis/color-map.js';
import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/** How an image is enlarged for viewing. */
export interface ImageOptions {
  /** Integer magnification, nearest neighbour, so pixels stay visible (default 1). */
  scale?: number;
}

/** Options of `heatMapOverlay`. */
export interface OverlayOptions extends ImageOptions {
  /** Opacity of the colour where the heat is highest, in [0, 1] (default 0.7). */
  alpha?: number;
}

/** Values rescaled to [0, 1] by their own minimum and maximum (all 0 when constant). */
function unitRange(values: ArrayLike<number>): Float64Array {
  let [lo, hi] = [Infinity, -Infinity];
  for (let i = 0; i < values.length; i++)
    [lo, hi] = [Math.min(lo, values[i]), Math.max(hi, values[i])];
  const span = hi - lo;
  return Float64Array.from(values, (v) => (span > 0 ? (v - lo) / span : 0));
}

/** Encodes packed RGB bytes of a width × height image as PNG, enlarged `scale` times. */
function encodePng(
  rgb: Uint8Array,
  [width, height]: readonly [number, number],
  scale: number,
  op: string,
): Promise<Buffer> {
  check(
    Number.isInteger(scale) && scale >= 1,
    op,
    () => `scale must be a positive integer, got ${scale}`,
  );
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(width * scale, height * scale, { kernel: 'nearest' })
    .png()
    .toBuffer();
}

/**
 * A PNG of `heat` [H, W] over `image` [C, H, W] (1 or 3 channels): each pixel is tinted with
 * fovea's colour map of its heat t (min to max, any range) with opacity alpha · t, so cold
 * regions show the image as it is and hot ones turn orange to dark red:
 * pixel = (1 − alpha·t) · image + alpha·t · colour(t). The image is shown min to max, so
 * normalized inputs display too. The PNG is W·scale × H·scale.
 *
 * @example writeFileSync('cam.png', await heatMapOverlay(images.select(0, 0), gradCam(model, images, { layer: 'features.6' }).select(0, 0), { scale: 8 }));
 */
export async function heatMapOverlay(
  image: Tensor,
  heat: Tensor,
  options: OverlayOptions = {},
): Promise<Buffer> {
  const { alpha = 0.7, scale = 1 } = options;
  const [c, h, w] = image.shape;
  check(
    image.ndim === 3 &&
      (c === 1 || c === 3) &&
      heat.ndim === 2 &&
      heat.shape[0] === h &&
      heat.shape[1] === w,
    'heatMapOverlay',
    () =>
      `expected an image [1 or 3, H, W] and a heat map [H, W] of the same size, got ${fmt(image.shape)} and ${fmt(heat.shape)}`,
  );
  check(alpha >= 0 && alpha <= 1, 'heatMapOverlay', () => `alpha must be in [0, 1], got ${alpha}`);
  const [pixels, strength] = [unitRange(image.data), unitRange(heat.data)];
  const rgb = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++) {
    const colour = colorMap(strength[p]);
    for (let k = 0; k < 3; k++) {
      const opacity = alpha * strength[p];
      const value = 255 * pixels[(c === 1 ? 0 : k) * h * w + p];
      rgb[p * 3 + k] = Math.round((1 - opacity) * value + opacity * colour[k]);
    }
  }
  return encodePng(rgb, [w, h], scale, 'heatMapOverlay');
}

/** Options of `tileImage`. */
export interface TileOptions extends ImageOptions {
  /** Tiles per row (default ⌈√count⌉). */
  columns?: number;
}

/**
 * A PNG of `tiles` [T, H, W] laid out in a grid with a 1-pixel white gap, each tile drawn in
 * fovea's colour map from its own minimum to maximum: the feature maps of one image
 * (`featureMaps(...).select(0, 0)`), or filters (`weight.reshape([-1, kH, kW])`).
 *
 * @example writeFileSync('maps.png', await tileImage(featureMaps(model, x, 'features.2').select(0, 0), { scale: 4 }));
 */
export function tileImage(tiles: Tensor, options: TileOptions = {}): Promise<Buffer> {
  check(
    tiles.ndim === 3,
    'tileImage',
    () => `expected tiles [T, H, W], got shape ${fmt(tiles.shape)}`,
  );
  const [count, h, w] = tiles.shape;
  const columns = options.columns ?? Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const [width, height] = [columns * (w + 1) - 1, rows * (h + 1) - 1];
  const rgb = new Uint8Array(width * height * 3).fill(255);
  for (let t = 0; t < count; t++) {
    const strength = unitRange(tiles.data.subarray(t * h * w, (t + 1) * h * w));
    const [left, top] = [(t % columns) * (w + 1), Math.floor(t / columns) * (h + 1)];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        rgb.set(colorMap(strength[y * w + x]), ((top + y) * width + left + x) * 3);
  }
  return encodePng(rgb, [width, height], options.scale ?? 1, 'tileImage');
}
