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
