// The kernel interface's batched `matmul` on f32, shared out among the threads of the pool.
import { f32_gemm } from './f32-gemm';
import { arg, f32Arg, ptr, shareStart } from './job';
import { clamp4 } from './simd';

/** Flags: bit 0 transposes A (stored k×m), bit 1 B (stored n×k), bit 2 accumulates into C. */
const TRANS_A = 1;
const TRANS_B = 2;
const ACCUMULATE = 4;

/**
 * Job words: kind, batch, m, n, k, a, strideA, b, strideB, c, strideC, flags, then the bias
 * (one per column of C; 0 for none) and the activation's clamp bounds lo, hi (f32 bits).
 */
export const MATMUL_WORDS = 15;

/**
 * out[b] (+)= op(a[b]) · op(b[b]) for b < batch (batch strides in elements; 0 repeats one
 * matrix). Thread `thread` of `threads` takes whole batch entries when there are enough with
 * separate outputs, else a band of C's columns (or rows, when C is taller than wide) of every
 * entry: bands never overlap, so accumulation into a shared output stays race-free. Each thread
 * adds the bias to its band and clamps it as soon as the band's product is done.
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
  const bias = ptr(job, 12);
  const lo = f32Arg(job, 13);
  const hi = f32Arg(job, 14);
  const finishing = bias != 0 || lo > -Infinity || hi < Infinity;
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
    const cEntry = c + <usize>i * <usize>strideC * 4 + cBand;
    f32_gemm(
      i1 - i0,
      j1 - j0,
      k,
      a + <usize>i * <usize>strideA * 4 + aBand,
      lda,
      b + <usize>i * <usize>strideB * 4 + bBand,
      ldb,
      cEntry,
      n,
      transA,
      transB,
      accumulate,
      work,
    );
    if (finishing) {
      finishColumns(cEntry, n, i1 - i0, j1 - j0, bias == 0 ? 0 : bias + ((<usize>j0) << 2), lo, hi);
    }
  }
}

/** c[r, j] = min(max(c[r, j] + bias[j], lo), hi) over rows × cols at c (leading dim ld; bias 0: none). */
function finishColumns(
  c: usize,
  ld: i32,
  rows: i32,
  cols: i32,
  bias: usize,
  lo: f32,
  hi: f32,
): void {
  const low = f32x4.splat(lo);
  const high = f32x4.splat(hi);
  for (let r = 0; r < rows; r++) {
    const row = c + ((<usize>r * <usize>ld) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const at = row + ((<usize>j) << 2);
      const b = bias == 0 ? f32x4.splat(0) : v128.load(bias + ((<usize>j) << 2));
      v128.store(at, clamp4(f32x4.add(v128.load(at), b), low, high));
    }
    for (; j < cols; j++) {
      const at = row + ((<usize>j) << 2);
      const b: f32 = bias == 0 ? 0 : load<f32>(bias + ((<usize>j) << 2));
      store<f32>(at, min<f32>(max<f32>(load<f32>(at) + b, lo), hi));
    }
  }
}
