import { check } from '../../tensor/errors.js';
import type { Generator } from '../../tensor/random.js';
import type { SampleTransform } from '../dataset.js';
import { readImage, toTensor, type Image } from './image.js';

const uniform = (g: Generator, lo: number, hi: number) => lo + (hi - lo) * g.uniform();
const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Options of colorJitter: each factor is drawn from [max(0, 1 − v), 1 + v] (hue from [−v, v]). */
export interface ColorJitterOptions {
  brightness?: number;
  contrast?: number;
  saturation?: number;
  /** At most 0.5 (a half turn of the colour wheel). */
  hue?: number;
}

/**
 * Random brightness, contrast, saturation and hue changes in a random order, as torchvision's
 * ColorJitter, on float images in [0, 1] (apply after toFloat). Grey images ([1, H, W]) get
 * brightness and contrast only: saturation and hue do not exist for them.
 */
export function colorJitter(options: ColorJitterOptions = {}): SampleTransform {
  const { brightness = 0, contrast = 0, saturation = 0, hue = 0 } = options;
  check(hue >= 0 && hue <= 0.5, 'colorJitter', () => `hue must be in [0, 0.5], got ${hue}`);
  return (sample, g) => {
    const image = readImage(sample.input, 'colorJitter');
    const steps: ((img: Image) => void)[] = [];
    if (brightness > 0)
      steps.push(scaleBy(uniform(g, Math.max(0, 1 - brightness), 1 + brightness)));
    if (contrast > 0) steps.push(contrastBy(uniform(g, Math.max(0, 1 - contrast), 1 + contrast)));
    if (image.channels === 3 && saturation > 0)
      steps.push(saturateBy(uniform(g, Math.max(0, 1 - saturation), 1 + saturation)));
    if (image.channels === 3 && hue > 0) steps.push(shiftHue(uniform(g, -hue, hue)));
    // A random order, as torchvision draws one.
    for (let i = steps.length - 1; i > 0; i--) {
      const j = g.integer(0, i + 1);
      [steps[i], steps[j]] = [steps[j], steps[i]];
    }
    steps.forEach((step) => step(image));
    return { ...sample, input: toTensor(image) };
  };
}

/** Grey level of pixel i of an RGB (ITU-R 601 weights) or grey image. */
function grey(image: Image, i: number): number {
  const plane = image.height * image.width;
  if (image.channels !== 3) return image.data[i];
  return 0.299 * image.data[i] + 0.587 * image.data[plane + i] + 0.114 * image.data[2 * plane + i];
}

const scaleBy = (factor: number) => (image: Image) => {
  for (let i = 0; i < image.data.length; i++) image.data[i] = clamp01(image.data[i] * factor);
};

const contrastBy = (factor: number) => (image: Image) => {
  const plane = image.height * image.width;
  let mean = 0;
  for (let i = 0; i < plane; i++) mean += grey(image, i);
  mean /= plane;
  for (let i = 0; i < image.data.length; i++)
    image.data[i] = clamp01((image.data[i] - mean) * factor + mean);
};

const saturateBy = (factor: number) => (image: Image) => {
  const plane = image.height * image.width;
  for (let i = 0; i < plane; i++) {
    const g = grey(image, i);
    for (let c = 0; c < 3; c++)
      image.data[c * plane + i] = clamp01((image.data[c * plane + i] - g) * factor + g);
  }
};

/** Rotates each pixel's hue by `shift` turns, through HSV. */
const shiftHue = (shift: number) => (image: Image) => {
  const plane = image.height * image.width;
  for (let i = 0; i < plane; i++) {
    const [r, g, b] = [image.data[i], image.data[plane + i], image.data[2 * plane + i]];
    const max = Math.max(r, g, b);
    const chroma = max - Math.min(r, g, b);
    if (chroma === 0) continue;
    let h =
      max === r ? ((g - b) / chroma) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
    h = (((h / 6 + shift) % 1) + 1) % 1;
    // Back to RGB from hue h (turns), chroma and value.
    const rgb = [5, 3, 1].map((n) => {
      const k = (n + h * 6) % 6;
      return max - chroma * Math.max(0, Math.min(k, 4 - k, 1));
    });
    rgb.forEach((v, c) => (image.data[c * plane + i] = v));
  }
};

/** Options of randomErasing, as torchvision's RandomErasing. */
export interface RandomErasingOptions {
  /** Probability of erasing (default 0.5). */
  p?: number;
  /** Erased area as a fraction of the image, drawn from [min, max] (default [0.02, 0.33]). */
  scale?: readonly [number, number];
  /** Aspect ratio of the erased box, log-uniform in [min, max] (default [0.3, 3.3]). */
  ratio?: readonly [number, number];
  /** The value written (default 0). */
  value?: number;
}

/**
 * Erases a random box (cutout), as torchvision's RandomErasing: 10 tries at a box of the drawn
 * area and aspect ratio that fits; no erasing when none does.
 */
export function randomErasing(options: RandomErasingOptions = {}): SampleTransform {
  const { p = 0.5, scale = [0.02, 0.33], ratio = [0.3, 3.3], value = 0 } = options;
  return (sample, g) => {
    if (g.uniform() >= p) return sample;
    const image = readImage(sample.input, 'randomErasing');
    const { height: H, width: W } = image;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = H * W * uniform(g, scale[0], scale[1]);
      const aspect = Math.exp(uniform(g, Math.log(ratio[0]), Math.log(ratio[1])));
      const [h, w] = [Math.round(Math.sqrt(area * aspect)), Math.round(Math.sqrt(area / aspect))];
      if (h >= H || w >= W || h < 1 || w < 1) continue;
      const [top, left] = [g.integer(0, H - h + 1), g.integer(0, W - w + 1)];
      for (let c = 0; c < image.channels; c++) {
        for (let y = top; y < top + h; y++)
          image.data.fill(value, (c * H + y) * W + left, (c * H + y) * W + left + w);
      }
      return { ...sample, input: toTensor(image) };
    }
    return sample;
  };
}
