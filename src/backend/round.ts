/**
 * x rounded to the nearest integer, ties to even (IEEE 754's default; `torch.round`, NumPy's
 * `rint`, ONNX's `Round` and its quantizers). NaN and ±Infinity pass through; −0.5 gives −0.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties go up: one step back when that made an odd number
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
