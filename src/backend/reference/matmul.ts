import type { MatmulArgs } from '../backend.js';

/**
 * Batched matrix product, one output row at a time: each row accumulates in a Float64Array, so
 * float32 results are rounded once. Rows of b are streamed when b is not transposed; with b
 * transposed each entry is a dot product of two contiguous rows.
 */
export function matmul({
  batch,
  m,
  n,
  k,
  a,
  b,
  out,
  transA,
  transB,
  accumulate,
}: MatmulArgs): void {
  const row = new Float64Array(n);
  // Strides of a(i, p) and b(p, j) in their arrays.
  const [aI, aP] = transA ? [1, m] : [k, 1];
  const [bP, bJ] = transB ? [1, k] : [n, 1];
  for (let bi = 0; bi < batch; bi++) {
    const A = a.offset + bi * a.batchStride;
    const B = b.offset + bi * b.batchStride;
    const O = out.offset + bi * out.batchStride;
    for (let i = 0; i < m; i++) {
      if (accumulate) for (let j = 0; j < n; j++) row[j] = out.data[O + i * n + j];
      else row.fill(0);
      if (transB) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++)
            s += a.data[A + i * aI + p * aP] * b.data[B + p * bP + j * bJ];
          row[j] += s;
        }
      } else {
        for (let p = 0; p < k; p++) {
          const av = a.data[A + i * aI + p * aP];
          const bRow = B + p * bP;
          for (let j = 0; j < n; j++) row[j] += av * b.data[bRow + j];
        }
      }
      for (let j = 0; j < n; j++) out.data[O + i * n + j] = row[j];
    }
  }
}
