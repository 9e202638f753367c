import { check } from '../../tensor/errors.js';
import type { SampleTransform } from '../dataset.js';
import { imageTensor, maxValue, pixelBuffer, readImage } from './image.js';
import { checkRange, uniform, type Range } from './params.js';

/**
 * Options of colorJitter, as torchvision's ColorJitter: each of brightness, contrast and
 * saturation is a number v (factor drawn from [max(0, 1 − v), 1 + v]) or [min, max] of factors;
 * hue is a number v ≤ 0.5 (shift drawn from [−v, v] turns of the colour wheel) or [min, max]
 * within [−0.5, 0.5]. 0 (the default) leaves that property alone.
 *
 * @example
 * colorJitter({ brightness: 0.2, contrast: [0.8, 1.2], hue: 0.05 });
 */
export interface ColorJitterOptions {
  brightness?: number | Range;
  contrast?: number | Range;
  saturation?: number | Range;
  hue?: number | Range;
}

/** The [min, max] factor range of a jitter argument, or null when it changes nothing. */
function factorRange(value: number | Range, name: string): Range | null {
  const op = 'colorJitter';
  if (typeof value === 'number') {
    check(value >= 0, op, () => `${name} must be ≥ 0 (or [min, max]), got ${value}`);
    value = [Math.max(0, 1 - value), 1 + value];
  }
  checkRange(value, op, name, 0);
  return value[0] === 1 && value[1] === 1 ? null : value;
}

function hueRange(value: number | Range): Range | null {
  check(
    typeof value !== 'number' || (value >= 0 && value <= 0.5),
    'colorJitter',
    () => `hue must be in [0, 0.5] (or [min, max] within [-0.5, 0.5]), got ${value}`,
  );
  const range: Range = typeof value === 'number' ? [-value, value] : value;
  checkRange(range, 'colorJitter', 'hue', -0.5, 0.5);
  return range[0] === 0 && range[1] === 0 ? null : range;
}

/** Grey level of an RGB pixel, with torchvision's weights (ITU-R 601). */
const grey = (r: number, g: number, b: number) => 0.2989 * r + 0.587 * g + 0.114 * b;

/**
 * Pixel-wise adjustments of an image [C, H·W] in place, each blending towards a reference as
 * torchvision's: x ↦ clamp(f·x + (1 − f)·ref, 0, max).
 */
type Adjust = (pixels: Float32Array | Float64Array, channels: number, max: number) => void;

const blend = (x: number, ref: number, f: number, max: number) =>
  Math.min(max, Math.max(0, f * x + (1 - f) * ref));

/** Towards black. */
const brightness =
  (f: number): Adjust =>
  (px, _, max) => {
    for (let i = 0; i < px.length; i++) px[i] = blend(px[i], 0, f, max);
  };

/** Towards the image's mean grey level. */
const contrast =
  (f: number): Adjust =>
  (px, channels, max) => {
    const plane = px.length / channels;
    let sum = 0;
    for (let i = 0; i < plane; i++)
      sum += channels === 3 ? grey(px[i], px[plane + i], px[2 * plane + i]) : px[i];
    const mean = sum / plane;
    for (let i = 0; i < px.length; i++) px[i] = blend(px[i], mean, f, max);
  };

/** Towards each pixel's grey level. */
const saturation =
  (f: number): Adjust =>
  (px, _, max) => {
    const plane = px.length / 3;
    for (let i = 0; i < plane; i++) {
      const level = grey(px[i], px[plane + i], px[2 * plane + i]);
      for (let c = 0; c < 3; c++) px[c * plane + i] = blend(px[c * plane + i], level, f, max);
    }
  };

/** Channel n (R: 5, G: 3, B: 1) of the HSV → RGB formula, for hue h6 in sixths of a turn. */
const fromHsv = (n: number, h6: number, value: number, chroma: number) => {
  const k = (n + h6) % 6;
  return value - chroma * Math.max(0, Math.min(k, 4 - k, 1));
};

/** Turns each pixel's hue by `shift` turns, through HSV (value and chroma kept). */
const hue =
  (shift: number): Adjust =>
  (px) => {
    const plane = px.length / 3;
    for (let i = 0; i < plane; i++) {
      const r = px[i];
      const g = px[plane + i];
      const b = px[2 * plane + i];
      const value = Math.max(r, g, b);
      const chroma = value - Math.min(r, g, b);
      if (chroma === 0) continue;
      // Hue in sixths of a turn, from the channel that is largest.
      const h =
        value === r ? (g - b) / chroma : value === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
      const h6 = ((((h / 6 + shift) % 1) + 1) % 1) * 6;
      px[i] = fromHsv(5, h6, value, chroma);
      px[plane + i] = fromHsv(3, h6, value, chroma);
      px[2 * plane + i] = fromHsv(1, h6, value, chroma);
    }
  };

/**
 * Random changes of brightness, contrast, saturation and hue, applied in a random order, as
 * torchvision's ColorJitter. Works on uint8 images (values up to 255) and float images in [0, 1]
 * (results are clamped to that range). Grey images ([1, H, W]) get brightness and contrast only:
 * saturation and hue do not exist for them (torchvision leaves them unchanged too).
 *
 * @example
 * const augment = compose([toFloat(), colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 })]);
 */
export function colorJitter(options: ColorJitterOptions = {}): SampleTransform {
  const ranges = [
    factorRange(options.brightness ?? 0, 'brightness'),
    factorRange(options.contrast ?? 0, 'contrast'),
    factorRange(options.saturation ?? 0, 'saturation'),
    hueRange(options.hue ?? 0),
  ];
  const adjusts = [brightness, contrast, saturation, hue];
  return (sample, g) => {
    const image = readImage(sample.input, 'colorJitter');
    check(
      image.channels === 1 || image.channels === 3,
      'colorJitter',
      () => `expected a grey [1, H, W] or RGB [3, H, W] image, got ${image.channels} channels`,
    );
    // As torchvision: a random order of the four, then one factor for each that is enabled.
    const order = [0, 1, 2, 3];
    for (let i = 3; i > 0; i--) {
      const j = g.integer(0, i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const factors = ranges.map((r) => r && uniform(g, r[0], r[1]));
    const pixels = pixelBuffer(image.dtype, image.data.length);
    pixels.set(image.data);
    for (const k of order) {
      const factor = factors[k];
      // Saturation and hue (k ≥ 2) need colour.
      if (factor !== null && (k < 2 || image.channels === 3))
        adjusts[k](factor)(pixels, image.channels, maxValue(image.dtype));
    }
    return { ...sample, input: imageTensor(pixels, sample.input.shape, image.dtype) };
  };
}
