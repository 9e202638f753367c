import type { ReduceDims, ReduceOp } from '../backend.js';
import type { TypedArray } from '../dtype.js';

/** Reduces the middle axis of [outer, size, inner]; sums accumulate in double precision. */
export function reduce(
  op: ReduceOp,
  x: TypedArray,
  { outer, size, inner }: ReduceDims,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let acc = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
      for (let s = 0; s < size; s++) {
        const v = x[base + s * inner];
        if (op === 'sum') acc += v;
        // NaN propagates: once acc is NaN no comparison replaces it.
        else if (v !== v || (op === 'max' ? v > acc : v < acc)) acc = v;
      }
      out[o * inner + i] = acc;
    }
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
