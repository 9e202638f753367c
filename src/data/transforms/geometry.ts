import { check } from '../../tensor/errors.js';
import type { Generator } from '../../tensor/random.js';
import type { SampleTransform } from '../dataset.js';
import { blankImage, readImage, toTensor, type Image } from './image.js';

/**
 * The inverse map of a warp: the input coordinate (x, y) that output pixel (u, v) reads is
 * x = a·u + b·v + c, y = d·u + e·v + f (pixel centres at integer coordinates).
 */
type Affine = [a: number, b: number, c: number, d: number, e: number, f: number];

/** How a warp samples: bilinear or nearest; outside the input, a fill value or the nearest edge. */
interface Sampling {
  interpolation?: 'bilinear' | 'nearest';
  /** 'fill' reads `fill` outside the input (rotations, crops with padding); 'clamp' the edge (resizing). */
  outside?: 'fill' | 'clamp';
  fill?: number;
}

/** The one warp behind every geometric transform: out(u, v) = in(M(u, v)) per channel. */
function warp(
  image: Image,
  map: Affine,
  height: number,
  width: number,
  sampling: Sampling = {},
): Image {
  const { interpolation = 'bilinear', outside = 'fill', fill = 0 } = sampling;
  const out = blankImage(image.channels, height, width);
  const { height: H, width: W } = image;
  const read = (plane: number, y: number, x: number): number => {
    if (outside === 'clamp')
      [y, x] = [Math.min(H - 1, Math.max(0, y)), Math.min(W - 1, Math.max(0, x))];
    else if (y < 0 || y >= H || x < 0 || x >= W) return fill;
    return image.data[plane + y * W + x];
  };
  const [a, b, c, d, e, f] = map;
  for (let ch = 0; ch < image.channels; ch++) {
    const plane = ch * H * W;
    for (let v = 0; v < height; v++) {
      for (let u = 0; u < width; u++) {
        const x = a * u + b * v + c;
        const y = d * u + e * v + f;
        let value: number;
        if (interpolation === 'nearest') value = read(plane, Math.round(y), Math.round(x));
        else {
          const [x0, y0] = [Math.floor(x), Math.floor(y)];
          const [fx, fy] = [x - x0, y - y0];
          const top = read(plane, y0, x0) * (1 - fx) + read(plane, y0, x0 + 1) * fx;
          const bottom = read(plane, y0 + 1, x0) * (1 - fx) + read(plane, y0 + 1, x0 + 1) * fx;
          value = top * (1 - fy) + bottom * fy;
        }
        out.data[ch * height * width + v * width + u] = value;
      }
    }
  }
  return out;
}

/** Applies a warp chosen per sample (from the image's size and the generator) to the input. */
function geometric(
  op: string,
  choose: (
    image: Image,
    g: Generator,
  ) => { map: Affine; height: number; width: number; sampling?: Sampling } | null,
): SampleTransform {
  return (sample, generator) => {
    const image = readImage(sample.input, op);
    const chosen = choose(image, generator);
    if (!chosen) return sample;
    return {
      ...sample,
      input: toTensor(warp(image, chosen.map, chosen.height, chosen.width, chosen.sampling)),
    };
  };
}

type Size = number | readonly [number, number];
const pair = (size: Size): [number, number] =>
  typeof size === 'number' ? [size, size] : [size[0], size[1]];
const uniform = (g: Generator, lo: number, hi: number) => lo + (hi - lo) * g.uniform();

/** The inverse map of scaling a [top, left, h, w] window of the input to an outH × outW output. */
function cropMap(
  top: number,
  left: number,
  h: number,
  w: number,
  outH: number,
  outW: number,
): Affine {
  // Pixel centres: output u covers input left + (u + 0.5)·w/outW − 0.5 (align_corners false).
  const [sx, sy] = [w / outW, h / outH];
  return [sx, 0, left + 0.5 * sx - 0.5, 0, sy, top + 0.5 * sy - 0.5];
}

/**
 * A random size×size window, after padding each side by `padding` with `fill`, as torchvision's
 * RandomCrop (the classic CIFAR augmentation: randomCrop(32, { padding: 4 })).
 */
export function randomCrop(
  size: Size,
  { padding = 0, fill = 0 }: { padding?: number; fill?: number } = {},
): SampleTransform {
  const [h, w] = pair(size);
  return geometric('randomCrop', (image, g) => {
    const [H, W] = [image.height + 2 * padding, image.width + 2 * padding];
    check(
      h <= H && w <= W,
      'randomCrop',
      () => `crop ${h}×${w} is larger than the padded image ${H}×${W}`,
    );
    const top = g.integer(0, H - h + 1) - padding;
    const left = g.integer(0, W - w + 1) - padding;
    return {
      map: [1, 0, left, 0, 1, top],
      height: h,
      width: w,
      sampling: { interpolation: 'nearest', fill },
    };
  });
}

/** The central size×size window, as torchvision's CenterCrop. */
export function centerCrop(size: Size): SampleTransform {
  const [h, w] = pair(size);
  return geometric('centerCrop', (image) => {
    const top = Math.round((image.height - h) / 2);
    const left = Math.round((image.width - w) / 2);
    return {
      map: [1, 0, left, 0, 1, top],
      height: h,
      width: w,
      sampling: { interpolation: 'nearest' },
    };
  });
}

/** Resizes to [h, w] with bilinear interpolation (edges clamped), as torchvision's Resize((h, w)). */
export function resize(size: Size): SampleTransform {
  const [h, w] = pair(size);
  return geometric('resize', (image) => ({
    map: cropMap(0, 0, image.height, image.width, h, w),
    height: h,
    width: w,
    sampling: { outside: 'clamp' },
  }));
}

/** Mirrors left–right with probability p (default 0.5), as torchvision's RandomHorizontalFlip. */
export function randomHorizontalFlip({ p = 0.5 }: { p?: number } = {}): SampleTransform {
  return geometric('randomHorizontalFlip', (image, g) =>
    g.uniform() < p
      ? {
          map: [-1, 0, image.width - 1, 0, 1, 0],
          height: image.height,
          width: image.width,
          sampling: { interpolation: 'nearest' },
        }
      : null,
  );
}

/** Mirrors top–bottom with probability p (default 0.5), as torchvision's RandomVerticalFlip. */
export function randomVerticalFlip({ p = 0.5 }: { p?: number } = {}): SampleTransform {
  return geometric('randomVerticalFlip', (image, g) =>
    g.uniform() < p
      ? {
          map: [1, 0, 0, 0, -1, image.height - 1],
          height: image.height,
          width: image.width,
          sampling: { interpolation: 'nearest' },
        }
      : null,
  );
}

/** Options of randomAffine, as torchvision's RandomAffine. */
export interface AffineOptions {
  /** Rotation drawn from [−degrees, degrees] (or [min, max]). */
  degrees?: number | readonly [number, number];
  /** Maximum shift as fractions of width and height: [0.1, 0.1] shifts up to 10%. */
  translate?: readonly [number, number];
  /** Zoom drawn from [min, max] (> 1 enlarges). */
  scale?: readonly [number, number];
  /** Horizontal shear in degrees drawn from [−shear, shear]. */
  shear?: number;
  /** Value outside the input (default 0). */
  fill?: number;
  interpolation?: 'bilinear' | 'nearest';
}

/**
 * A random rotation, shift, zoom and shear about the image centre, as torchvision's RandomAffine:
 * the forward map is centre ∘ translate ∘ rotate ∘ shear ∘ scale ∘ uncentre; each output pixel
 * reads the input through its inverse.
 */
export function randomAffine(options: AffineOptions = {}): SampleTransform {
  const {
    degrees = 0,
    translate = [0, 0],
    scale = [1, 1],
    shear = 0,
    fill = 0,
    interpolation = 'bilinear',
  } = options;
  const [dLo, dHi] = typeof degrees === 'number' ? [-degrees, degrees] : degrees;
  check(
    scale[0] > 0 && scale[1] >= scale[0],
    'randomAffine',
    () => `scale must be [min, max] with 0 < min ≤ max, got [${scale}]`,
  );
  return geometric('randomAffine', (image, g) => {
    // Positive angles turn counter-clockwise on screen (y points down), as torchvision's.
    const angle = (-uniform(g, dLo, dHi) * Math.PI) / 180;
    const zoom = uniform(g, scale[0], scale[1]);
    const sh = (uniform(g, -shear, shear) * Math.PI) / 180;
    const tx = Math.round(uniform(g, -translate[0], translate[0]) * image.width);
    const ty = Math.round(uniform(g, -translate[1], translate[1]) * image.height);
    const [cx, cy] = [(image.width - 1) / 2, (image.height - 1) / 2];
    // Forward linear part M = R(angle) · Shear(sh) · zoom; output = M (input − c) + c + t.
    const [cos, sin, tan] = [Math.cos(angle), Math.sin(angle), Math.tan(sh)];
    const [m00, m01, m10, m11] = [
      zoom * cos,
      zoom * (cos * tan - sin),
      zoom * sin,
      zoom * (sin * tan + cos),
    ];
    const det = m00 * m11 - m01 * m10;
    const [i00, i01, i10, i11] = [m11 / det, -m01 / det, -m10 / det, m00 / det];
    // input = M⁻¹ (output − c − t) + c
    const [ox, oy] = [cx + tx, cy + ty];
    const map: Affine = [i00, i01, cx - i00 * ox - i01 * oy, i10, i11, cy - i10 * ox - i11 * oy];
    return { map, height: image.height, width: image.width, sampling: { fill, interpolation } };
  });
}

/** A random rotation in [−degrees, degrees] about the centre, as torchvision's RandomRotation. */
export function randomRotation(
  degrees: number | readonly [number, number],
  options: { fill?: number; interpolation?: 'bilinear' | 'nearest' } = {},
): SampleTransform {
  return randomAffine({ degrees, ...options });
}

/**
 * A random window of random area (a `scale` fraction of the image) and aspect ratio, resized to
 * `size`, as torchvision's RandomResizedCrop: 10 tries at a window that fits, else the largest
 * centred window whose aspect ratio lies within `ratio`.
 */
export function randomResizedCrop(
  size: Size,
  {
    scale = [0.08, 1],
    ratio = [3 / 4, 4 / 3],
  }: { scale?: readonly [number, number]; ratio?: readonly [number, number] } = {},
): SampleTransform {
  const [h, w] = pair(size);
  return geometric('randomResizedCrop', (image, g) => {
    const { height: H, width: W } = image;
    const area = H * W;
    for (let attempt = 0; attempt < 10; attempt++) {
      const target = area * uniform(g, scale[0], scale[1]);
      const aspect = Math.exp(uniform(g, Math.log(ratio[0]), Math.log(ratio[1])));
      const cw = Math.round(Math.sqrt(target * aspect));
      const ch = Math.round(Math.sqrt(target / aspect));
      if (cw > 0 && ch > 0 && cw <= W && ch <= H) {
        const top = g.integer(0, H - ch + 1);
        const left = g.integer(0, W - cw + 1);
        return {
          map: cropMap(top, left, ch, cw, h, w),
          height: h,
          width: w,
          sampling: { outside: 'clamp' },
        };
      }
    }
    const inRatio = W / H;
    const [cw, ch] =
      inRatio < ratio[0]
        ? [W, Math.round(W / ratio[0])]
        : inRatio > ratio[1]
          ? [Math.round(H * ratio[1]), H]
          : [W, H];
    const [top, left] = [Math.floor((H - ch) / 2), Math.floor((W - cw) / 2)];
    return {
      map: cropMap(top, left, ch, cw, h, w),
      height: h,
      width: w,
      sampling: { outside: 'clamp' },
    };
  });
}
