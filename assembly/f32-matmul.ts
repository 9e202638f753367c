// The kernel interface's batched `matmul` on f32, shared out among the threads of the pool.
import { f32_gemm } from './f32-gemm';
import { arg, ptr, shareStart } from './job';

/** Flags: bit 0 transposes A (stored k×m), bit 1 B (stored n×k), bit 2 accumulates into C. */
const TRANS_A = 1;
const TRANS_B = 2;
const ACCUMULATE = 4;

/** Job words: kind, batch, m, n, k, a, strideA, b, strideB, c, strideC, flags. */
export const MATMUL_WORDS = 12;

/**
 * out[b] (+)= op(a[b]) · op(b[b]) for b < batch (batch strides in elements; 0 repeats one
 * matrix). Thread `thread` of `threads` takes whole batch entries when there are enough with
 * separate outputs, else a band of C's columns (or rows, when C is taller than wide) of every
 * entry: bands never overlap, so accumulation into a shared output stays race-free.
 */
export function f32_matmul_job(job: usize, thread: i32, threads: i32, work: usize): void {
  let batch = arg(job, 1);
  let m = arg(job, 2);
  const n = arg(job, 3);
  const k = arg(job, 4);
  let a = ptr(job, 5);
  const strideA = arg(job, 6);
  let b = ptr(job, 7);
  const strideB = arg(job, 8);
  const c = ptr(job, 9);
  const strideC = arg(job, 10);
  const flags = arg(job, 11);
  const transA = (flags & TRANS_A) != 0;
  const transB = (flags & TRANS_B) != 0;
  const accumulate = (flags & ACCUMULATE) != 0;
  if (batch <= 0 || m <= 0 || n <= 0) return;
  if (strideC == 0 && !accumulate && batch > 1) {
    // Every entry overwrites the same output: only the last one counts.
    a += <usize>(batch - 1) * <usize>strideA * 4;
    b += <usize>(batch - 1) * <usize>strideB * 4;
    batch = 1;
  }
  if (batch > 1 && strideB == 0 && !transA && strideA == m * k && strideC == m * n) {
    // One B for stacked A matrices and stacked outputs: a single taller product.
    m *= batch;
    batch = 1;
  }
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  let first = 0;
  let last = batch;
  let i0 = 0;
  let i1 = m;
  let j0 = 0;
  let j1 = n;
  if (batch >= threads && strideC >= m * n) {
    first = shareStart(batch, threads, thread, 1);
    last = shareStart(batch, threads, thread + 1, 1);
  } else if (n >= m) {
    j0 = shareStart(n, threads, thread, 8);
    j1 = shareStart(n, threads, thread + 1, 8);
  } else {
    i0 = shareStart(m, threads, thread, 4);
    i1 = shareStart(m, threads, thread + 1, 4);
  }
  if (first >= last || i0 >= i1 || j0 >= j1) return;
  // Offsets of the band: rows i0.. of op(A) and C, columns j0.. of op(B) and C.
  const aBand = <usize>(transA ? i0 : i0 * k) * 4;
  const bBand = <usize>(transB ? j0 * k : j0) * 4;
  const cBand = <usize>(i0 * n + j0) * 4;
  for (let i = first; i < last; i++) {
    f32_gemm(
      i1 - i0,
      j1 - j0,
      k,
      a + <usize>i * <usize>strideA * 4 + aBand,
      lda,
      b + <usize>i * <usize>strideB * 4 + bBand,
      ldb,
      c + <usize>i * <usize>strideC * 4 + cBand,
      n,
      transA,
      transB,
      accumulate,
      work,
    );
  }
}
