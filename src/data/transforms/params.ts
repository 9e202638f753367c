import { check } from '../../tensor/errors.js';
import type { Generator } from '../../tensor/random.js';

/**
 * An output size: one number for a square, or [height, width].
 *
 * @example
 * centerCrop([24, 32]);
 */
export type Size = number | readonly [number, number];

/**
 * A closed interval [min, max] from which a transform draws a parameter.
 *
 * @example
 * randomRotation([-5, 20]);
 */
export type Range = readonly [number, number];

/** [height, width] of a size, checked to be positive integers. */
export function parseSize(size: Size, op: string): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  check(
    [h, w].every((n) => Number.isInteger(n) && n > 0),
    op,
    () => `size must be a positive integer or [height, width] of them, got ${JSON.stringify(size)}`,
  );
  return [h, w];
}

/** Checks that `range` is [min, max] with lo ≤ min ≤ max ≤ hi. */
export function checkRange(range: Range, op: string, name: string, lo: number, hi = Infinity) {
  const [min, max] = range;
  check(
    range.length === 2 && min >= lo && min <= max && max <= hi,
    op,
    () =>
      `${name} must be [min, max] with ${lo} ≤ min ≤ max` +
      `${hi === Infinity ? '' : ` ≤ ${hi}`}, got ${JSON.stringify(range)}`,
  );
}

/** Checks that p is a probability. */
export function checkProbability(p: number, op: string) {
  check(p >= 0 && p <= 1, op, () => `p must be a probability in [0, 1], got ${p}`);
}

/** A uniform draw from [lo, hi). */
export function uniform(g: Generator, lo: number, hi: number): number {
  return lo + (hi - lo) * g.uniform();
}

/**
 * A box's area (a `scale` fraction of `area`) and aspect ratio (log-uniform within `ratio`), the
 * draw shared by randomResizedCrop and randomErasing.
 */
export function drawBox(g: Generator, area: number, scale: Range, ratio: Range) {
  return {
    area: area * uniform(g, scale[0], scale[1]),
    aspect: Math.exp(uniform(g, Math.log(ratio[0]), Math.log(ratio[1]))),
  };
}
