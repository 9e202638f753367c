import type { ReduceDims } from '../backend.js';
import type { TypedArray } from '../dtype.js';

/**
 * The kernel interface's `logSoftmax` along the middle axis of [outer, size, inner]:
 * out = x − shift − log Σ exp(x − shift), shift the slice's maximum when finite (else 0, so an
 * all −∞ slice gives NaN and a +∞ entry its NaN/−∞, as PyTorch), in float64 and rounded once.
 */
export function logSoftmax(
  x: TypedArray,
  { outer, size, inner }: ReduceDims,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = -Infinity;
      for (let s = 0, at = base; s < size; s++, at += inner) {
        const v = x[at];
        if (v > max || v !== v) max = v;
        if (v !== v) break;
      }
      const shift = max - max === 0 ? max : 0;
      let sum = 0;
      for (let s = 0, at = base; s < size; s++, at += inner) sum += Math.exp(x[at] - shift);
      const lse = Math.log(sum) + shift;
      for (let s = 0, at = base; s < size; s++, at += inner) out[at] = x[at] - lse;
    }
  }
}

/**
 * The kernel interface's `logSoftmaxBackward`: gx = g − exp(y)·Σ g along the middle axis, from
 * the forward's output y (the sums in float64).
 */
export function logSoftmaxBackward(
  y: TypedArray,
  g: TypedArray,
  { outer, size, inner }: ReduceDims,
  gx: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let total = 0;
      for (let s = 0, at = base; s < size; s++, at += inner) total += g[at];
      for (let s = 0, at = base; s < size; s++, at += inner)
        gx[at] = g[at] - Math.exp(y[at]) * total;
    }
  }
}
