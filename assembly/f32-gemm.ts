// f32 GEMM with WebAssembly SIMD: C (+)= op(A) · op(B), row-major, for every batch entry.
//
// The layout is the one of GotoBLAS/BLIS. The product is cut into blocks of KC steps along k;
// each KC × NC block of B is packed into column panels NR = 8 wide, and each MC × KC block of A
// into row panels MR (4) high, zero-padded at the edges, so that the microkernel only ever
// reads full panels, in order. The microkernel keeps an MR × 8 tile of C in v128 registers (two
// f32x4 per row); per step of k it loads 8 values of B and MR values of A, each already
// broadcast to four lanes by the packing (a packed A element takes 16 bytes: V8 folds the
// offsets of plain v128 loads into the address, not those of load32_splat, and the loop is
// bound by instruction issue, not by loads). Partial tiles at the bottom and right edges are
// computed into a scratch tile and merged.
//
// All pointers are byte addresses in this module's memory; strides count f32 elements.
// docs/wasm-backend.md has the measurements behind the choices.
import { madd } from './simd';

/** Columns of a packed B panel and of the microkernel's tile. */
/** Rows of A per microkernel tile (4×8: eight v128 accumulators, no spills in V8). */
const MR: i32 = 4;
const NR: i32 = 8;
/** Depth of a k block: an MR×KC panel of A (splatted, 16 KiB) and a KC×NR panel of B stay in L1. */
const KC: i32 = 256;
/** Rows of an A block (a multiple of 4 and 6): its splatted panels (384 KiB) stay in L2. */
const MC: i32 = 96;
/** Columns of a B block: KC×NC floats (1 MiB) stay in L2/L3. */
const NC: i32 = 1024;
/** Bytes a packed element of A takes: one f32 broadcast to a v128. */
const SPLAT = 16;

/** Bytes of scratch memory `work` must hold: the packed A and B blocks and one edge tile. */
export function f32_gemm_workspace_bytes(): i32 {
  return MC * KC * SPLAT + (KC * NC + 8 * NR) * 4;
}

/**
 * The 4×8 microkernel: C[0..4, 0..8] (+)= Σ_p a[p, 0..4] ⊗ b[p, 0..8] over kc ≥ 1 steps, where
 * `a` is a packed panel (4 splatted floats, 64 bytes, per step) and `b` a packed panel (8 floats,
 * 32 bytes, per step). `ldc` is C's row stride in bytes. The loop counts with `b` alone: one
 * scalar op fewer per step is worth 5% here.
 */
function f32_gemm_ukernel_4x8__wasmsimd(
  kc: i32,
  a: usize,
  b: usize,
  c: usize,
  ldc: usize,
  add: bool,
): void {
  let c0l = f32x4.splat(0);
  let c0h = c0l;
  let c1l = c0l;
  let c1h = c0l;
  let c2l = c0l;
  let c2h = c0l;
  let c3l = c0l;
  let c3h = c0l;
  const bEnd = b + <usize>kc * 32;
  while (b < bEnd) {
    const bl = v128.load(b);
    const bh = v128.load(b, 16);
    const a0 = v128.load(a);
    c0l = madd(a0, bl, c0l);
    c0h = madd(a0, bh, c0h);
    const a1 = v128.load(a, 16);
    c1l = madd(a1, bl, c1l);
    c1h = madd(a1, bh, c1h);
    const a2 = v128.load(a, 32);
    c2l = madd(a2, bl, c2l);
    c2h = madd(a2, bh, c2h);
    const a3 = v128.load(a, 48);
    c3l = madd(a3, bl, c3l);
    c3h = madd(a3, bh, c3h);
    a += 64;
    b += 32;
  }
  const r1 = c + ldc;
  const r2 = r1 + ldc;
  const r3 = r2 + ldc;
  if (add) {
    c0l = f32x4.add(c0l, v128.load(c));
    c0h = f32x4.add(c0h, v128.load(c, 16));
    c1l = f32x4.add(c1l, v128.load(r1));
    c1h = f32x4.add(c1h, v128.load(r1, 16));
    c2l = f32x4.add(c2l, v128.load(r2));
    c2h = f32x4.add(c2h, v128.load(r2, 16));
    c3l = f32x4.add(c3l, v128.load(r3));
    c3h = f32x4.add(c3h, v128.load(r3, 16));
  }
  v128.store(c, c0l);
  v128.store(c, c0h, 16);
  v128.store(r1, c1l);
  v128.store(r1, c1h, 16);
  v128.store(r2, c2l);
  v128.store(r2, c2h, 16);
  v128.store(r3, c3l);
  v128.store(r3, c3h, 16);
}

/**
 * Four columns of four floats (column c at src + c·stride bytes) stored as four rows of a
 * packed B panel (row r at dst + r·NR·4): a 4×4 transpose in registers.
 */
function transposeStore(src: usize, stride: usize, dst: usize): void {
  const c0 = v128.load(src);
  const c1 = v128.load(src + stride);
  const c2 = v128.load(src + 2 * stride);
  const c3 = v128.load(src + 3 * stride);
  const lo01 = i32x4.shuffle(c0, c1, 0, 4, 1, 5);
  const lo23 = i32x4.shuffle(c2, c3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(c0, c1, 2, 6, 3, 7);
  const hi23 = i32x4.shuffle(c2, c3, 2, 6, 3, 7);
  const row = <usize>NR * 4;
  v128.store(dst, i64x2.shuffle(lo01, lo23, 0, 2));
  v128.store(dst + row, i64x2.shuffle(lo01, lo23, 1, 3));
  v128.store(dst + 2 * row, i64x2.shuffle(hi01, hi23, 0, 2));
  v128.store(dst + 3 * row, i64x2.shuffle(hi01, hi23, 1, 3));
}

/**
 * Packs a kc × nc block of B, whose element (p, j) is at src + (p·rs + j·cs)·4, into panels of
 * NR columns: panel q holds, for each p, columns q·NR .. q·NR+7 (zeros past nc).
 */
function packB(kc: i32, nc: i32, src: usize, rs: usize, cs: usize, dst: usize): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    const from = src + <usize>j * cs * 4;
    if (cols == NR && cs == 1) {
      // Rows of B are contiguous: two vectors per step.
      let s = from;
      let d = dst;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        s += rs * 4;
        d += NR * 4;
      }
    } else if (cols == NR && rs == 1) {
      // B is transposed: its columns are contiguous. Four steps at a time, two 4×4 transposes.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        transposeStore(from + <usize>p * 4, cs * 4, dst + <usize>p * NR * 4);
        transposeStore(from + (<usize>p + 4 * cs) * 4, cs * 4, dst + <usize>p * NR * 4 + 16);
      }
      for (; p < kc; p++) {
        for (let col = 0; col < NR; col++) {
          store<f32>(dst + <usize>(p * NR + col) * 4, load<f32>(from + (<usize>col * cs + p) * 4));
        }
      }
    } else {
      // Column by column, reading each column of B (a row of a transposed B) in order.
      for (let col = 0; col < NR; col++) {
        const d = dst + <usize>col * 4;
        if (col < cols) {
          const s = from + <usize>col * cs * 4;
          for (let p = 0; p < kc; p++) {
            store<f32>(d + <usize>p * NR * 4, load<f32>(s + <usize>p * rs * 4));
          }
        } else {
          for (let p = 0; p < kc; p++) store<f32>(d + <usize>p * NR * 4, 0);
        }
      }
    }
    dst += <usize>kc * NR * 4;
  }
}

/**
 * Packs an mc × kc block of A, whose element (i, p) is at src + (i·rs + p·cs)·4, into panels of
 * MR rows: panel q holds, for each p, rows q·MR .. q·MR+MR−1 (zeros past mc), each element
 * broadcast to a whole v128 (SPLAT bytes).
 */
function packA(mc: i32, kc: i32, src: usize, rs: usize, cs: usize, dst: usize): void {
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const from = src + <usize>i * rs * 4;
    for (let r = 0; r < MR; r++) {
      const d = dst + <usize>r * SPLAT;
      if (r < rows) {
        const s = from + <usize>r * rs * 4;
        for (let p = 0; p < kc; p++) {
          v128.store(d + <usize>(p * MR) * SPLAT, v128.load32_splat(s + <usize>p * cs * 4));
        }
      } else {
        for (let p = 0; p < kc; p++) v128.store(d + <usize>(p * MR) * SPLAT, f32x4.splat(0));
      }
    }
    dst += <usize>(kc * MR) * SPLAT;
  }
}

/** C[rows × cols] (+)= tile[rows × cols], where tile rows are NR floats apart. */
function mergeTile(rows: i32, cols: i32, tile: usize, c: usize, ldc: usize, add: bool): void {
  for (let r = 0; r < rows; r++) {
    const t = tile + <usize>(r * NR) * 4;
    const o = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) {
      const at = o + <usize>j * 4;
      const v = load<f32>(t + <usize>j * 4);
      store<f32>(at, add ? load<f32>(at) + v : v);
    }
  }
}

/**
 * One product C[m × n] (+)= op(A) · op(B), blocked and packed. `lda`, `ldb`, `ldc` are the row
 * strides (in f32 elements) of A, B and C as stored: A is m×k (k×m when transposed), B is k×n
 * (n×k when transposed), so a block of a larger matrix is multiplied in place. `work` points at
 * f32_gemm_workspace_bytes() bytes of scratch.
 */
export function f32_gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  transA: bool,
  transB: bool,
  accumulate: bool,
  work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldc * 4, 0, <usize>n * 4);
    return;
  }
  const packedA = work;
  const packedB = packedA + <usize>(MC * KC) * SPLAT;
  const tile = packedB + <usize>(KC * NC) * 4;
  // Element (i, p) of op(A) is at a + (i·rsA + p·csA)·4; element (p, j) of op(B) at b + (p·rsB + j·csB)·4.
  const rsA: usize = transA ? 1 : <usize>lda;
  const csA: usize = transA ? <usize>lda : 1;
  const rsB: usize = transB ? 1 : <usize>ldb;
  const csB: usize = transB ? <usize>ldb : 1;
  const ldcBytes = <usize>ldc * 4;
  // k is cut into equal blocks of at most KC: a short last block would load and store C for
  // only a few steps.
  const depth = (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += depth) {
      const kc = min(depth, k - pc);
      const add = accumulate || pc > 0;
      packB(kc, nc, b + (<usize>pc * rsB + <usize>jc * csB) * 4, rsB, csB, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(mc, kc, a + (<usize>ic * rsA + <usize>pc * csA) * 4, rsA, csA, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pb = packedB + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = packedA + <usize>(ir * kc) * SPLAT;
            const pc0 = c + <usize>(ic + ir) * ldcBytes + <usize>(jc + jr) * 4;
            if (rows == MR && cols == NR) {
              f32_gemm_ukernel_4x8__wasmsimd(kc, pa, pb, pc0, ldcBytes, add);
            } else {
              f32_gemm_ukernel_4x8__wasmsimd(kc, pa, pb, tile, NR * 4, false);
              mergeTile(rows, cols, tile, pc0, ldcBytes, add);
            }
          }
        }
      }
    }
  }
}
