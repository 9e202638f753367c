import type { ReduceDims, ReduceOp } from '../backend.js';
import type { TypedArray } from '../dtype.js';

/** Reduces the middle axis of [outer, size, inner]; sums accumulate in double precision. */
export function reduce(
  op: ReduceOp,
  x: TypedArray,
  { outer, size, inner }: ReduceDims,
  out: TypedArray,
): void {
  if (op === 'sum') {
    sum(x, { outer, size, inner }, out);
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let acc = op === 'max' ? -Infinity : Infinity;
      for (let s = 0; s < size; s++) {
        const v = x[base + s * inner];
        // NaN propagates: once acc is NaN no comparison replaces it.
        if (v !== v || (op === 'max' ? v > acc : v < acc)) acc = v;
      }
      out[o * inner + i] = acc;
    }
  }
}

/**
 * The sum along the middle axis, accumulated in float64 in order: along contiguous rows when
 * inner is 1 (a bias gradient's planes), else a row of `inner` sums at a time.
 */
function sum(x: TypedArray, { outer, size, inner }: ReduceDims, out: TypedArray): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let acc = 0;
      for (let at = o * size, end = at + size; at < end; at++) acc += x[at];
      out[o] = acc;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let s = 0, at = o * size * inner; s < size; s++) {
      for (let i = 0; i < inner; i++, at++) acc[i] += x[at];
    }
    out.set(acc, o * inner);
  }
}

/** Index of the first max/min along the middle axis; a NaN counts as the extreme, as in PyTorch. */
export function argReduce(
  op: 'max' | 'min',
  x: TypedArray,
  { outer, size, inner }: ReduceDims,
  out: Int32Array,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = x[base];
      let arg = 0;
      for (let s = 1; s < size && best === best; s++) {
        const v = x[base + s * inner];
        if (v !== v || (op === 'max' ? v > best : v < best)) {
          best = v;
          arg = s;
        }
      }
      out[o * inner + i] = arg;
    }
  }
}
