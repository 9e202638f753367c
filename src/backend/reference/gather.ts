import type { AxisMap, GatherDims, ResampleDims } from '../backend.js';
import type { TypedArray } from '../dtype.js';

/** out[o, j, i] = x[o, index[o, j, i], i]. */
export function gather(
  x: TypedArray,
  index: Int32Array,
  { outer, size, count, inner }: GatherDims,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      for (let i = 0; i < inner; i++) {
        const t = (o * count + j) * inner + i;
        out[t] = x[(o * size + index[t]) * inner + i];
      }
    }
  }
}

/** out[o, index[o, j, i], i] += src[o, j, i]. */
export function scatterAdd(
  src: TypedArray,
  index: Int32Array,
  { outer, size, count, inner }: GatherDims,
  out: TypedArray,
): void {
  if (inner === 1) {
    // Max pooling's backward: one index per source element, a loop without the inner dim.
    for (let o = 0, t = 0; o < outer; o++) {
      const base = o * size;
      for (const end = t + count; t < end; t++) out[base + index[t]] += src[t];
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      for (let i = 0; i < inner; i++) {
        const t = (o * count + j) * inner + i;
        out[(o * size + index[t]) * inner + i] += src[t];
      }
    }
  }
}

/** out[o, j, i] = Σ_t weight[j, t] · (index[j, t] < 0 ? fill : x[o, index[j, t], i]). */
export function resample(
  x: TypedArray,
  { outer, inSize, outSize, inner }: ResampleDims,
  map: AxisMap,
  out: TypedArray,
): void {
  const { taps, index, weight, fill } = map;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < outSize; j++) {
      for (let i = 0; i < inner; i++) {
        let s = 0;
        for (let t = j * taps; t < (j + 1) * taps; t++) {
          const src = index[t];
          s += weight[t] * (src < 0 ? fill : x[(o * inSize + src) * inner + i]);
        }
        out[(o * outSize + j) * inner + i] = s;
      }
    }
  }
}

/** The adjoint of resample (fill taps carry no gradient). */
export function resampleBackward(
  gout: TypedArray,
  { outer, inSize, outSize, inner }: ResampleDims,
  map: AxisMap,
  gin: TypedArray,
): void {
  const { taps, index, weight } = map;
  gin.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < outSize; j++) {
      for (let i = 0; i < inner; i++) {
        const g = gout[(o * outSize + j) * inner + i];
        for (let t = j * taps; t < (j + 1) * taps; t++) {
          if (index[t] >= 0) gin[(o * inSize + index[t]) * inner + i] += weight[t] * g;
        }
      }
    }
  }
}
