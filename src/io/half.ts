import { roundHalfEven } from '../backend/round.js';

/** IEEE 754 half-precision bits → number (subnormals, ±0, ±Infinity and NaN included). */
export function halfToFloat(h: number): number {
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  let magnitude: number;
  if (exponent === 0)
    magnitude = fraction * 2 ** -24; // zero and subnormals
  else if (exponent === 31) magnitude = fraction ? NaN : Infinity;
  else magnitude = (1024 + fraction) * 2 ** (exponent - 25);
  return h & 0x8000 ? -magnitude : magnitude;
}

/**
 * number → IEEE 754 half-precision bits, rounding to nearest even as NumPy's `astype(float16)`:
 * too large → ±Infinity, too small → subnormals or ±0, NaN → a quiet NaN.
 */
export function floatToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24); // subnormal (1024 is the first normal)
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  else if (2 ** (exponent + 1) <= a) exponent++;
  let fraction = roundHalfEven((a / 2 ** exponent - 1) * 1024);
  if (fraction === 1024) [fraction, exponent] = [0, exponent + 1];
  if (exponent > 15) return sign | 0x7c00;
  return sign | ((exponent + 15) << 10) | fraction;
}
