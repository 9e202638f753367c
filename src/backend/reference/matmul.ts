import type { MatmulArgs, MatmulOperand } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { clampRange, type FusedActivation } from '../fused-activation.js';

/** Output tiles are TILE×TILE: sixteen accumulators that the engine keeps in registers. */
const TILE = 4;

/**
 * Batched matrix product. Transposed operands are first packed into row-major scratch panels;
 * the product then runs in 4×4 output tiles accumulated in double precision (float32 results are
 * rounded once), each element of a and b loaded once per tile row/column. The bias and activation
 * then apply to the rounded product, as separate add and relu ops would.
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
  bias,
  activation,
}: MatmulArgs): void {
  const panelA = transA ? new Float64Array(m * k) : null;
  const panelB = transB ? new Float64Array(k * n) : null;
  for (let bi = 0; bi < batch; bi++) {
    const [ad, A] = panelA
      ? [transpose(a, bi, k, m, panelA), 0]
      : [a.data, a.offset + bi * a.batchStride];
    const [bd, B] = panelB
      ? [transpose(b, bi, n, k, panelB), 0]
      : [b.data, b.offset + bi * b.batchStride];
    const O = out.offset + bi * out.batchStride;
    for (let i = 0; i < m; i += TILE) {
      for (let j = 0; j < n; j += TILE) {
        const [rows, cols] = [Math.min(TILE, m - i), Math.min(TILE, n - j)];
        const o = O + i * n + j;
        if (rows === TILE && cols === TILE)
          tile4x4(ad, A + i * k, k, bd, B + j, n, out.data, o, accumulate);
        else edgeTile(ad, A + i * k, k, bd, B + j, n, out.data, o, rows, cols, accumulate);
      }
    }
    if (bias || activation) finish(out.data, O, m, n, bias, activation);
  }
}

/** out[r, c] = clamp(out[r, c] + bias[c]) for the m×n matrix at `at`: linear's bias and activation. */
function finish(
  out: TypedArray,
  at: number,
  m: number,
  n: number,
  bias: TypedArray | undefined,
  activation: FusedActivation | undefined,
): void {
  // Rounded to out's type before the clamp, as the bias add's own output would be.
  if (bias) {
    for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) out[at + r * n + c] += bias[c];
  }
  if (activation) clampRange(out, at, at + m * n, activation);
}

/** One full 4×4 tile: out[o..] (+)= a[aRow.., :] · b[:, bCol..]. */
function tile4x4(
  ad: TypedArray,
  aRow: number,
  k: number,
  bd: TypedArray,
  bCol: number,
  n: number,
  od: TypedArray,
  o: number,
  accumulate: boolean,
): void {
  const [a0r, a1r, a2r, a3r] = [aRow, aRow + k, aRow + 2 * k, aRow + 3 * k];
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0, bp = bCol; p < k; p++, bp += n) {
    const b0 = bd[bp],
      b1 = bd[bp + 1],
      b2 = bd[bp + 2],
      b3 = bd[bp + 3];
    const a0 = ad[a0r + p],
      a1 = ad[a1r + p],
      a2 = ad[a2r + p],
      a3 = ad[a3r + p];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  const [o1, o2, o3] = [o + n, o + 2 * n, o + 3 * n];
  store(od, o, c00, accumulate);
  store(od, o + 1, c01, accumulate);
  store(od, o + 2, c02, accumulate);
  store(od, o + 3, c03, accumulate);
  store(od, o1, c10, accumulate);
  store(od, o1 + 1, c11, accumulate);
  store(od, o1 + 2, c12, accumulate);
  store(od, o1 + 3, c13, accumulate);
  store(od, o2, c20, accumulate);
  store(od, o2 + 1, c21, accumulate);
  store(od, o2 + 2, c22, accumulate);
  store(od, o2 + 3, c23, accumulate);
  store(od, o3, c30, accumulate);
  store(od, o3 + 1, c31, accumulate);
  store(od, o3 + 2, c32, accumulate);
  store(od, o3 + 3, c33, accumulate);
}

/** Writes (or, accumulating, adds) one result. */
function store(od: TypedArray, at: number, value: number, accumulate: boolean): void {
  od[at] = accumulate ? od[at] + value : value;
}

/** A partial tile at the bottom or right edge, element by element. */
function edgeTile(
  ad: TypedArray,
  aRow: number,
  k: number,
  bd: TypedArray,
  bCol: number,
  n: number,
  od: TypedArray,
  o: number,
  rows: number,
  cols: number,
  accumulate: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += ad[aRow + r * k + p] * bd[bCol + p * n + c];
      store(od, o + r * n + c, s, accumulate);
    }
  }
}

/** Writes the transpose of batch entry bi of x (stored rows×cols) into panel (cols×rows). */
function transpose(
  x: MatmulOperand,
  bi: number,
  rows: number,
  cols: number,
  panel: Float64Array,
): Float64Array {
  const base = x.offset + bi * x.batchStride;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) panel[c * rows + r] = x.data[base + r * cols + c];
  }
  return panel;
}
