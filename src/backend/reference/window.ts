import type { WindowGeometry } from '../backend.js';
import type { TypedArray } from '../dtype.js';

/**
 * The windows as a compressed list: output position o reads in-plane flat indices
 * index[ptr[o]..ptr[o+1]), in row-major order (so the first max found is PyTorch's).
 */
export function windowLists(g: WindowGeometry): { ptr: Int32Array; index: Int32Array } {
  const axes = g.axes;
  const outCount = axes.reduce((a, ax) => a * ax.outSize, 1);
  const ptr = new Int32Array(outCount + 1);
  const o = new Array<number>(axes.length).fill(0);
  const index: number[] = [];
  for (let of = 0; of < outCount; of++) {
    // Every combination of per-axis window positions, innermost axis fastest.
    let flats = [0];
    for (let d = 0; d < axes.length; d++) {
      const ax = axes[d];
      const next: number[] = [];
      for (const f of flats) {
        for (let j = 0; j < ax.count[o[d]]; j++)
          next.push(f * ax.inSize + ax.start[o[d]] + j * ax.step);
      }
      flats = next;
    }
    index.push(...flats);
    ptr[of + 1] = index.length;
    for (let d = axes.length - 1; d >= 0; d--) {
      if (++o[d] < axes[d].outSize) break;
      o[d] = 0;
    }
  }
  return { ptr, index: Int32Array.from(index) };
}

/** Elements of one input plane and of one output plane. */
export function planeCounts(g: WindowGeometry) {
  return {
    inCount: g.axes.reduce((a, ax) => a * ax.inSize, 1),
    outCount: g.axes.reduce((a, ax) => a * ax.outSize, 1),
  };
}

/** Max of each window and the in-plane index of its first maximum (a NaN wins). */
export function windowMax(
  x: TypedArray,
  g: WindowGeometry,
  out: TypedArray,
  argmax?: Int32Array,
): void {
  const { ptr, index } = windowLists(g);
  const { inCount, outCount } = planeCounts(g);
  for (let p = 0; p < g.planes; p++) {
    const base = p * inCount;
    for (let o = 0; o < outCount; o++) {
      let best = -Infinity;
      let arg = index[ptr[o]];
      for (let t = ptr[o]; t < ptr[o + 1]; t++) {
        const v = x[base + index[t]];
        if (v > best || v !== v) {
          best = v;
          arg = index[t];
          if (v !== v) break;
        }
      }
      out[p * outCount + o] = best;
      if (argmax) argmax[p * outCount + o] = arg;
    }
  }
}

/** Sum of each window. */
export function windowSum(x: TypedArray, g: WindowGeometry, out: TypedArray): void {
  const { ptr, index } = windowLists(g);
  const { inCount, outCount } = planeCounts(g);
  for (let p = 0; p < g.planes; p++) {
    for (let o = 0; o < outCount; o++) {
      let s = 0;
      for (let t = ptr[o]; t < ptr[o + 1]; t++) s += x[p * inCount + index[t]];
      out[p * outCount + o] = s;
    }
  }
}

/** Adds each output gradient to every input position of its window. */
export function windowSumBackward(gout: TypedArray, g: WindowGeometry, gin: TypedArray): void {
  const { ptr, index } = windowLists(g);
  const { inCount, outCount } = planeCounts(g);
  gin.fill(0);
  for (let p = 0; p < g.planes; p++) {
    for (let o = 0; o < outCount; o++) {
      const v = gout[p * outCount + o];
      for (let t = ptr[o]; t < ptr[o + 1]; t++) gin[p * inCount + index[t]] += v;
    }
  }
}
