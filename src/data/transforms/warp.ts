import { check } from '../../tensor/errors.js';
import type { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { SampleTransform } from '../dataset.js';
import { imageTensor, pixelBuffer, readImage, type Image } from './image.js';

/**
 * The inverse map of a warp: output pixel (u, v) reads the input at x = a·u + b·v + c,
 * y = d·u + e·v + f, with pixel centres at integer coordinates.
 */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

/**
 * How a warp reads between pixels: the nearest one, or a bilinear blend of the four around.
 *
 * @example
 * randomRotation(10, { interpolation: 'bilinear' });
 */
export type Interpolation = 'nearest' | 'bilinear';

/**
 * What a warp reads outside the input, named as torchvision's padding modes: the fill value
 * ('constant'), the nearest edge pixel ('edge'), or the input mirrored about its edge pixels
 * ('reflect': …2 1 | 0 1 2…) or about its edges ('symmetric': …1 0 | 0 1 2…).
 */
export type PaddingMode = 'constant' | 'edge' | 'reflect' | 'symmetric';

const paddingModes: readonly PaddingMode[] = ['constant', 'edge', 'reflect', 'symmetric'];
const interpolations: readonly Interpolation[] = ['nearest', 'bilinear'];

/** One warp: its inverse map, its output size, and how it samples. */
export interface Warp {
  map: Affine;
  height: number;
  width: number;
  /** Default 'bilinear'. */
  interpolation?: Interpolation;
  /** Default 'constant'. */
  padding?: PaddingMode;
  /** The value read outside the input in 'constant' mode (default 0). */
  fill?: number;
  /**
   * The window [top, left, height, width] of the input that the map's coordinates address (default:
   * the whole image); the rest of the input counts as outside, so a crop resized does not blend in
   * the pixels around it.
   */
  region?: readonly [number, number, number, number];
}

/** Checks the sampling options a user passed to a geometric transform. */
export function checkSampling(
  op: string,
  { interpolation, padding }: { interpolation?: string; padding?: string },
) {
  check(
    interpolation === undefined || (interpolations as string[]).includes(interpolation),
    op,
    () => `interpolation must be one of ${interpolations.join(', ')}, got '${interpolation}'`,
  );
  check(
    padding === undefined || (paddingModes as string[]).includes(padding),
    op,
    () => `paddingMode must be one of ${paddingModes.join(', ')}, got '${padding}'`,
  );
}

/** The index that coordinate i of an axis of length n reads, or −1 for the fill value. */
function resolve(i: number, n: number, mode: PaddingMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'edge' || n === 1) return i < 0 ? 0 : n - 1;
  // Mirroring is periodic: 2(n − 1) for 'reflect' (edge pixels not repeated), 2n for 'symmetric'.
  const period = mode === 'reflect' ? 2 * (n - 1) : 2 * n;
  const m = ((i % period) + period) % period;
  if (m < n) return m;
  return mode === 'reflect' ? period - m : period - 1 - m;
}

/**
 * The one kernel behind every geometric transform: out[c, v, u] = in[c, M(u, v)], sampled
 * bilinearly or at the nearest pixel, for each channel. The result keeps the input's dtype.
 */
export function warp(image: Image, spec: Warp): Tensor {
  const { map, height, width, interpolation = 'bilinear', padding = 'constant', fill = 0 } = spec;
  const [a, b, c, d, e, f] = map;
  const [top, left, regionH, regionW] = spec.region ?? [0, 0, image.height, image.width];
  const { channels, data } = image;
  const inPlane = image.height * image.width;
  const outPlane = height * width;
  const out = pixelBuffer(image.dtype, channels * outPlane);
  // Each output pixel reads 1 or 4 taps: an offset into a channel plane (−1: the fill) and a weight.
  const offsets = [0, 0, 0, 0];
  const weights = [1, 0, 0, 0];
  const offset = (y: number, x: number): number => {
    const row = resolve(y, regionH, padding);
    const col = resolve(x, regionW, padding);
    return row < 0 || col < 0 ? -1 : (top + row) * image.width + left + col;
  };
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const x = a * u + b * v + c;
      const y = d * u + e * v + f;
      let taps = 1;
      if (interpolation === 'nearest') offsets[0] = offset(Math.round(y), Math.round(x));
      else {
        const x0 = Math.floor(x);
        const y0 = Math.floor(y);
        const fx = x - x0;
        const fy = y - y0;
        if (x0 >= 0 && y0 >= 0 && x0 + 1 < regionW && y0 + 1 < regionH) {
          // The common case, all four taps inside: no padding rule to apply.
          offsets[0] = (top + y0) * image.width + left + x0;
          offsets[1] = offsets[0] + 1;
          offsets[2] = offsets[0] + image.width;
          offsets[3] = offsets[2] + 1;
        } else {
          offsets[0] = offset(y0, x0);
          offsets[1] = offset(y0, x0 + 1);
          offsets[2] = offset(y0 + 1, x0);
          offsets[3] = offset(y0 + 1, x0 + 1);
        }
        weights[0] = (1 - fy) * (1 - fx);
        weights[1] = (1 - fy) * fx;
        weights[2] = fy * (1 - fx);
        weights[3] = fy * fx;
        taps = 4;
      }
      for (let ch = 0; ch < channels; ch++) {
        let value = 0;
        for (let k = 0; k < taps; k++)
          value += weights[k] * (offsets[k] < 0 ? fill : data[ch * inPlane + offsets[k]]);
        out[ch * outPlane + v * width + u] = value;
      }
    }
  }
  return imageTensor(out, [channels, height, width], image.dtype);
}

/**
 * The inverse map that scales an inH × inW image (or region) to outH × outW, pixel centres aligned
 * (PyTorch's align_corners=false): output u reads (u + ½)·inW/outW − ½.
 */
export function scaleMap(inH: number, inW: number, outH: number, outW: number): Affine {
  const [sx, sy] = [inW / outW, inH / outH];
  return [sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5];
}

/**
 * A transform that warps each sample's input by a warp chosen from the image and the generator
 * (null: leave the sample as it is). The target is never changed.
 */
export function geometric(
  op: string,
  choose: (image: Image, g: Generator) => Warp | null,
): SampleTransform {
  return (sample, generator) => {
    const image = readImage(sample.input, op);
    const spec = choose(image, generator);
    return spec ? { ...sample, input: warp(image, spec) } : sample;
  };
}
