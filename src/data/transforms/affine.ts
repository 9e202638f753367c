import { check } from '../../tensor/errors.js';
import type { SampleTransform } from '../dataset.js';
import { checkRange, uniform, type Range } from './params.js';
import { checkSampling, geometric, type Affine, type Interpolation } from './warp.js';

/**
 * Options of randomAffine, with torchvision RandomAffine's names and defaults.
 *
 * @example
 * randomAffine({ degrees: 15, scale: [0.9, 1.1], shear: 5, interpolation: 'bilinear' });
 */
export interface RandomAffineOptions {
  /** Rotation in degrees drawn from [−degrees, degrees], or from [min, max] (default 0). */
  degrees?: number | Range;
  /** Largest shift as fractions of the width and height: [0.1, 0.1] shifts up to 10% (default none). */
  translate?: readonly [number, number];
  /** Zoom factor drawn from [min, max]; above 1 enlarges (default none: 1). */
  scale?: Range;
  /**
   * Shear in degrees: s shears along x by an angle in [−s, s]; [min, max] along x; [xMin, xMax,
   * yMin, yMax] along both (default none).
   */
  shear?: number | Range | readonly [number, number, number, number];
  /** The value outside the input, in the image's units (default 0). */
  fill?: number;
  /** Default 'nearest', as torchvision's. */
  interpolation?: Interpolation;
}

/** One draw of randomAffine's parameters; angles in degrees, clockwise on screen. */
interface AffineParams {
  angle: number;
  translate: [number, number];
  scale: number;
  shear: [number, number];
}

/**
 * The inverse map of torchvision's affine about the image centre (cx, cy): the forward map is
 * p ↦ RSS·(p − c) + c + t with RSS = Rotate(angle)·Scale(scale)·ShearY(shear y)·ShearX(shear x),
 * so output pixel p reads the input at RSS⁻¹·(p − c − t) + c.
 */
function affineMap(
  width: number,
  height: number,
  { angle, translate, scale, shear }: AffineParams,
): Affine {
  const [rot, sx, sy] = [angle, ...shear].map((deg) => (deg * Math.PI) / 180);
  // torchvision's closed form of RSS (before scaling); y points down, so positive angles turn clockwise.
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const det = (a * d - b * c) * scale * scale;
  const [i00, i01, i10, i11] = [d, -b, -c, a].map((m) => (m * scale) / det);
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  const [ox, oy] = [cx + translate[0], cy + translate[1]];
  return [i00, i01, cx - i00 * ox - i01 * oy, i10, i11, cy - i10 * ox - i11 * oy];
}

/** [min, max] of a degrees argument: d means [−d, d]. */
function degreeRange(degrees: number | Range, op: string, name: string): Range {
  if (typeof degrees !== 'number') {
    checkRange(degrees, op, name, -Infinity);
    return degrees;
  }
  check(degrees >= 0, op, () => `${name} must be ≥ 0 (or [min, max]), got ${degrees}`);
  return [-degrees, degrees];
}

/** [x range, y range] of a shear argument. */
function shearRanges(shear: NonNullable<RandomAffineOptions['shear']>, op: string): Range[] {
  if (typeof shear === 'number' || shear.length === 2)
    return [degreeRange(shear, op, 'shear'), [0, 0]];
  check(
    shear.length === 4,
    op,
    () =>
      `shear must be a number, [min, max] or [xMin, xMax, yMin, yMax], got ${JSON.stringify(shear)}`,
  );
  return [0, 2].map((k) => degreeRange([shear[k], shear[k + 1]], op, 'shear'));
}

/** randomAffine under the name `op` (randomRotation is one too). */
function affine(op: string, options: RandomAffineOptions): SampleTransform {
  const { translate = [0, 0], scale = [1, 1], shear = 0, fill = 0 } = options;
  const { interpolation = 'nearest' } = options;
  const angles = degreeRange(options.degrees ?? 0, op, 'degrees');
  check(
    translate.length === 2 && translate.every((t) => t >= 0 && t <= 1),
    op,
    () =>
      `translate must be [x, y], the largest shifts as fractions of the width and height, ` +
      `each in [0, 1], got ${JSON.stringify(translate)}`,
  );
  checkRange(scale, op, 'scale', Number.MIN_VALUE);
  const [shearX, shearY] = shearRanges(shear, op);
  checkSampling(op, { interpolation });
  return geometric(op, (image, g) => {
    const angle = uniform(g, angles[0], angles[1]);
    const maxDx = translate[0] * image.width;
    const maxDy = translate[1] * image.height;
    const params: AffineParams = {
      angle,
      translate: [Math.round(uniform(g, -maxDx, maxDx)), Math.round(uniform(g, -maxDy, maxDy))],
      scale: uniform(g, scale[0], scale[1]),
      shear: [uniform(g, shearX[0], shearX[1]), uniform(g, shearY[0], shearY[1])],
    };
    return {
      map: affineMap(image.width, image.height, params),
      height: image.height,
      width: image.width,
      interpolation,
      fill,
    };
  });
}

/**
 * A random rotation, shift, zoom and shear about the image centre, as torchvision's RandomAffine
 * (a positive angle turns clockwise, as in torchvision's affine; randomRotation's turn the other
 * way). Each output pixel reads the input through the inverse map; outside it reads `fill`.
 *
 * @example
 * const augment = randomAffine({ degrees: 10, translate: [0.1, 0.1], scale: [0.9, 1.1] });
 */
export function randomAffine(options: RandomAffineOptions = {}): SampleTransform {
  return affine('randomAffine', options);
}

/**
 * A random rotation about the image centre by an angle from [−degrees, degrees] (or [min, max]),
 * as torchvision's RandomRotation: positive angles turn counter-clockwise; the corners that come
 * from outside the image read `fill` (default 0); interpolation 'nearest' by default.
 *
 * @example
 * const augment = randomRotation(15, { interpolation: 'bilinear' });
 */
export function randomRotation(
  degrees: number | Range,
  options: { fill?: number; interpolation?: Interpolation } = {},
): SampleTransform {
  const [lo, hi] = degreeRange(degrees, 'randomRotation', 'degrees');
  // A counter-clockwise turn by θ is torchvision's affine by −θ.
  return affine('randomRotation', { ...options, degrees: [-hi, -lo] });
}
