import type { ConvGeometry } from '../backend.js';
import type { TypedArray } from '../dtype.js';

/**
 * For every (kernel position, output position) pair, the in-plane flat index of the input element
 * it reads, or −1 where that falls in the zero padding. Shared by all channels and samples.
 */
function sourceTable(g: ConvGeometry): Int32Array {
  const d = g.inSize.length;
  const kernelCount = g.kernel.reduce((a, b) => a * b, 1);
  const outCount = g.outSize.reduce((a, b) => a * b, 1);
  const table = new Int32Array(kernelCount * outCount);
  const k = new Array<number>(d).fill(0);
  const o = new Array<number>(d).fill(0);
  for (let kf = 0; kf < kernelCount; kf++) {
    o.fill(0);
    for (let of = 0; of < outCount; of++) {
      let flat = 0;
      for (let i = 0; i < d; i++) {
        const pos = o[i] * g.stride[i] - g.padBefore[i] + k[i] * g.dilation[i];
        if (pos < 0 || pos >= g.inSize[i]) {
          flat = -1;
          break;
        }
        flat = flat * g.inSize[i] + pos;
      }
      table[kf * outCount + of] = flat;
      increment(o, g.outSize);
    }
    increment(k, g.kernel);
  }
  return table;
}

/** Advances a row-major multi-index over `sizes` by one. */
function increment(index: number[], sizes: readonly number[]): void {
  for (let i = index.length - 1; i >= 0; i--) {
    if (++index[i] < sizes[i]) return;
    index[i] = 0;
  }
}

/** Per plane: input elements, kernel taps (column rows per channel), output positions. */
export function planeSizes(g: ConvGeometry) {
  const inCount = g.inSize.reduce((a, b) => a * b, 1);
  const rowsPerChannel = g.kernel.reduce((a, b) => a * b, 1);
  const outCount = g.outSize.reduce((a, b) => a * b, 1);
  return { inCount, rowsPerChannel, outCount };
}

/** x [N, C, ...in] → cols [N, C·∏kernel, ∏out]. */
export function im2col(x: TypedArray, g: ConvGeometry, cols: TypedArray): void {
  const table = sourceTable(g);
  const { inCount, rowsPerChannel, outCount } = planeSizes(g);
  const perPlane = rowsPerChannel * outCount;
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    const src = plane * inCount;
    const dst = plane * perPlane;
    for (let t = 0; t < perPlane; t++) {
      const s = table[t];
      cols[dst + t] = s < 0 ? 0 : x[src + s];
    }
  }
}

/**
 * x [N, C, ...in] → rows [N, groups, ∏out, (C/groups)·∏kernel]: im2col transposed per group, so
 * each output position's window is one contiguous row — the layout of the int8 GEMM
 * (`qgemmRequantize`). Padding reads 0.
 */
export function im2row(x: TypedArray, g: ConvGeometry, groups: number, rows: TypedArray): void {
  const table = sourceTable(g);
  const { inCount, rowsPerChannel, outCount } = planeSizes(g);
  const channelsPerGroup = g.channels / groups;
  const rowLength = channelsPerGroup * rowsPerChannel;
  for (let block = 0; block < g.batch * groups; block++) {
    const dst = block * outCount * rowLength;
    for (let c = 0; c < channelsPerGroup; c++) {
      const src = (block * channelsPerGroup + c) * inCount;
      for (let k = 0; k < rowsPerChannel; k++) {
        const column = dst + c * rowsPerChannel + k;
        for (let p = 0; p < outCount; p++) {
          const s = table[k * outCount + p];
          rows[column + p * rowLength] = s < 0 ? 0 : x[src + s];
        }
      }
    }
  }
}

/** cols [N, C·∏kernel, ∏out] → out [N, C, ...in], summing entries that read the same input. */
export function col2im(cols: TypedArray, g: ConvGeometry, out: TypedArray): void {
  const table = sourceTable(g);
  const { inCount, rowsPerChannel, outCount } = planeSizes(g);
  const perPlane = rowsPerChannel * outCount;
  out.fill(0);
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    const dst = plane * inCount;
    const src = plane * perPlane;
    for (let t = 0; t < perPlane; t++) {
      const s = table[t];
      if (s >= 0) out[dst + s] += cols[src + t];
    }
  }
}
