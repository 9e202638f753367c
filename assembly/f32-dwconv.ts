// Direct convolution for one input channel per group (depthwise, with any channel multiplier):
// each output plane is a weighted sum of shifted rows of one input plane, so there is nothing
// for a GEMM to share.
//
// The forward map and the input gradient are one kernel, a gather: each destination row is the
// sum, over the taps that reach it, of a source row read at a stride, times the tap. It runs
// four destination positions at a time, every tap's product accumulated in a register and each
// vector stored once. Blocks of positions whose taps all read inside the source row load plain
// vectors; the blocks at the row's ends load vectors whose columns outside the row read zero,
// as the padding does. 3×3 kernels keep their taps in registers, and at stride 1 take two
// destination rows at once. The input gradient is the same gather with the kernel turned
// around (a stride s splits its rows into s interleaved phases, each with its own taps). The
// weight gradient is a dot product per tap, three taps of a kernel row at a time over the plane.
//
// TurboFan (V8's optimizing compiler) computes a loop-invariant expression inside the loop that
// uses it, on every pass, and loads every vector of a loop body before its arithmetic: the
// loops below move pointers rather than add fixed offsets, and hold few live vectors.
import { madd } from './simd';
import { arg } from './job';
import {
  D_D,
  D_H,
  D_W,
  IN_D,
  IN_H,
  IN_W,
  K_D,
  K_H,
  K_W,
  OUT_D,
  OUT_H,
  OUT_W,
  P_D,
  P_H,
  P_W,
  S_D,
  S_H,
  S_W,
} from './conv-geometry';

// How four lanes `stride` floats apart are read and written. A kernel generic over one of
// these types is compiled once per case (`sizeof` is a compile-time constant), so the choice
// costs nothing in the inner loops.
type Contiguous = u8; // stride 1: one vector load
type Pairs = u16; // stride 2: the even lanes of two loads
type Strided = u32; // any stride: lane by lane

const LANE = i32x4(0, 1, 2, 3);
const BYTE = i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

/** The floats at p, p + step, p + 2·step, p + 3·step (`step` in bytes). */
function lanes<S>(p: usize, step: usize): v128 {
  if (sizeof<S>() == 1) return v128.load(p);
  // Elements 0..3 and 3..6: no read past element 6, the last one wanted.
  if (sizeof<S>() == 2) return f32x4.shuffle(v128.load(p), v128.load(p, 12), 0, 2, 5, 7);
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + step, v, 1);
  v = v128.load32_lane(p + 2 * step, v, 2);
  return v128.load32_lane(p + 3 * step, v, 3);
}

/** `zeroLanes` lane by lane, for any row of ≥ 1: from columns clamped into the row, then masked. */
function clampedLanes(line: usize, col: i32, width: i32, stride: i32): v128 {
  const at = i32x4.add(i32x4.splat(col), i32x4.mul(LANE, i32x4.splat(stride)));
  const inside = v128.and(i32x4.ge_s(at, i32x4.splat(0)), i32x4.lt_s(at, i32x4.splat(width)));
  const bytes = i32x4.shl(i32x4.min_s(i32x4.max_s(at, i32x4.splat(0)), i32x4.splat(width - 1)), 2);
  let v = v128.load32_zero(line + <usize>i32x4.extract_lane(bytes, 0));
  v = v128.load32_lane(line + <usize>i32x4.extract_lane(bytes, 1), v, 1);
  v = v128.load32_lane(line + <usize>i32x4.extract_lane(bytes, 2), v, 2);
  v = v128.load32_lane(line + <usize>i32x4.extract_lane(bytes, 3), v, 3);
  return v128.and(v, inside);
}

/**
 * The floats at columns col + j·stride (j < 4) of a row of `width` floats at `line`, zero
 * outside the row. Contiguous needs a row of at least 4: one load from inside the row, moved
 * into place by a byte swizzle, whose out-of-range indices read zeros.
 */
function zeroLanes<S>(line: usize, col: i32, width: i32, stride: i32): v128 {
  if (sizeof<S>() != 1) return clampedLanes(line, col, width, stride);
  if (<u32>col <= <u32>(width - 4)) return v128.load(line + ((<usize>col) << 2));
  const inside = min(max(col, 0), width - 4);
  const move = <i8>(min(max(col - inside, -4), 4) << 2);
  const at = line + ((<usize>inside) << 2);
  return v128.swizzle(v128.load(at), i8x16.add(BYTE, i8x16.splat(move)));
}

/**
 * Stores lanes `from` .. 4 of `sums` as `lanes` reads them, leaving the first ones as they are:
 * a block at a row's end slides back to fit, over lanes already final, which must not be
 * written twice when the gather adds into its destination.
 */
function put<D>(p: usize, step: usize, sums: v128, from: i32): void {
  if (from > 0) sums = v128.bitselect(lanes<D>(p, step), sums, i32x4.lt_s(LANE, i32x4.splat(from)));
  if (sizeof<D>() == 1) {
    v128.store(p, sums);
  } else {
    v128.store32_lane(p, sums, 0);
    v128.store32_lane(p + step, sums, 1);
    v128.store32_lane(p + 2 * step, sums, 2);
    v128.store32_lane(p + 3 * step, sums, 3);
  }
}

/** Σ of the four lanes. */
function total(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}

/** The first multiple of 4 at or after lo, and no further than n. */
function blockStart(lo: i32, n: i32): i32 {
  return min(n, (lo + 3) & ~3);
}

/** The end of the whole blocks of 4 from `first` that fit before hi (first when none does). */
function blockEnd(first: i32, hi: i32): i32 {
  return first + (max(0, hi - first) & ~3);
}

// The job's geometry, read once per plane by `readGeometry`. Globals belong to an instance and
// every thread runs its own instance, so threads never share them.
let inD = 0;
let inH = 0;
let inW = 0;
let outD = 0;
let outH = 0;
let outW = 0;
let kD = 0;
let kH = 0;
let kW = 0;
let sD = 0;
let sH = 0;
let sW = 0;
let pD = 0;
let pH = 0;
let pW = 0;
let dD = 0;
let dH = 0;
let dW = 0;

function readGeometry(job: usize): void {
  inD = arg(job, IN_D);
  inH = arg(job, IN_H);
  inW = arg(job, IN_W);
  outD = arg(job, OUT_D);
  outH = arg(job, OUT_H);
  outW = arg(job, OUT_W);
  kD = arg(job, K_D);
  kH = arg(job, K_H);
  kW = arg(job, K_W);
  sD = arg(job, S_D);
  sH = arg(job, S_H);
  sW = arg(job, S_W);
  pD = arg(job, P_D);
  pH = arg(job, P_H);
  pW = arg(job, P_W);
  dD = arg(job, D_D);
  dH = arg(job, D_H);
  dW = arg(job, D_W);
}

// The taps along one dimension that join a destination index to the source, set by `reach`:
// tap tapFirst + j·tapStep reads source index srcAt + j·srcMove, for j < tapCount.
let tapFirst = 0;
let tapStep = 0;
let tapCount = 0;
let srcAt = 0;
let srcMove = 0;

/**
 * Sets the taps above for destination index x along a dimension of k taps, stride s, padding p
 * and dilation d, keeping those whose source index lies in [lo, hi). Forward: tap t reads input
 * x·s − p + t·d. Transposed (input gradient, x an input index): tap t reads output
 * (x + p − t·d) / s where that divides exactly. Either way the taps kept are evenly spaced.
 */
function reach(x: i32, k: i32, s: i32, p: i32, d: i32, lo: i32, hi: i32, transposed: bool): void {
  tapCount = 0;
  tapStep = 1;
  srcMove = 0;
  for (let t = 0; t < k; t++) {
    let at = x * s - p + t * d;
    if (transposed) {
      const span = x + p - t * d;
      if (span % s != 0) continue;
      at = span / s;
    }
    if (at < lo || at >= hi) continue;
    if (tapCount == 0) {
      tapFirst = t;
      srcAt = at;
    } else if (tapCount == 1) {
      tapStep = t - tapFirst;
      srcMove = at - srcAt;
    }
    tapCount++;
  }
}

// One gather, set up by `sweep` and run by `gather`: for destination positions x < positions,
// at dst + 4·x·dstStep, the sum over rows r < rows and taps c < cols of
//   tap[r·tapRowMove + c·tapColMove] · src[r·rowMove + 4·(x·srcStep + col0 + c·colMove)],
// where a column outside [0, srcWidth) reads zero; added to the destination when `add`.
// colMove and rowMove are ≥ 0 (`columns` and `rowTaps` take the taps backwards if need be).
let dst: usize = 0;
let dstStep = 0;
let positions = 0;
let add = false;
let src: usize = 0;
let rows = 0;
let rowMove = 0; // bytes
let srcStep = 0;
let col0 = 0;
let colMove = 0;
let cols = 0;
let srcWidth = 0;
let tap: usize = 0;
let tapRowMove = 0; // bytes
let tapColMove = 0; // bytes
/** Whole blocks of 4 positions first .. last read inside the source row at every tap. */
let first = 0;
let last = 0;
/** The source row and the taps of the first row tap and column tap (set up by `sweep`). */
let rowFirst = 0;
let tapRowFirst = 0;
let tapColFirst = 0;

/** Positions from .. to one at a time, for rows of fewer than 4. */
function points(from: i32, to: i32): void {
  for (let x = from; x < to; x++) {
    const out = dst + ((<usize>(x * dstStep)) << 2);
    let sum: f32 = add ? load<f32>(out) : 0;
    let line = src;
    let taps = tap;
    for (let r = 0; r < rows; r++) {
      let col = x * srcStep + col0;
      let t = taps;
      for (let c = 0; c < cols; c++) {
        if (<u32>col < <u32>srcWidth) sum += load<f32>(t) * load<f32>(line + ((<usize>col) << 2));
        col += colMove;
        t += <usize>tapColMove;
      }
      line += <usize>rowMove;
      taps += <usize>tapRowMove;
    }
    store<f32>(out, sum);
  }
}

/** The blocks of 4 positions outside first .. last, each tap's columns read by `zeroLanes`. */
function edges<S, D>(): void {
  const outStep = (<usize>dstStep) << 2;
  for (let x = 0; x < positions; x += 4) {
    if (x == first) x = last;
    if (x >= positions) break;
    const at = min(x, positions - 4);
    const out = dst + <usize>at * outStep;
    let acc = add ? lanes<D>(out, outStep) : f32x4.splat(0);
    let line = src;
    let taps = tap;
    for (let r = 0; r < rows; r++) {
      let col = at * srcStep + col0;
      let t = taps;
      for (let c = 0; c < cols; c++) {
        acc = madd(zeroLanes<S>(line, col, srcWidth, srcStep), v128.load32_splat(t), acc);
        col += colMove;
        t += <usize>tapColMove;
      }
      line += <usize>rowMove;
      taps += <usize>tapRowMove;
    }
    put<D>(out, outStep, acc, x - at);
  }
}

/**
 * The blocks of 4 positions first .. last, any taps: four blocks at a time, which share each
 * tap's splat and keep four chains of multiply-adds going (the last ones slide back to fit,
 * repeating a block). Four pointers move through the taps' columns: TurboFan would compute
 * fixed offsets from one inside the loop.
 */
function blocks<S, D>(): void {
  const inStep = (<usize>srcStep) << 2;
  const outStep = (<usize>dstStep) << 2;
  const adding = add;
  const n = rows;
  const m = cols;
  const colBytes = (<usize>colMove) << 2;
  const rowBytes = <usize>rowMove;
  const tapColBytes = <usize>tapColMove;
  const tapRowBytes = <usize>tapRowMove;
  const end = last - 4;
  for (let x = first; x < last; x += 16) {
    const x1 = <usize>min(x + 4, end);
    const x2 = <usize>min(x + 8, end);
    const x3 = <usize>min(x + 12, end);
    let acc0 = f32x4.splat(0);
    let acc1 = acc0;
    let acc2 = acc0;
    let acc3 = acc0;
    if (adding) {
      acc0 = lanes<D>(dst + <usize>x * outStep, outStep);
      acc1 = lanes<D>(dst + x1 * outStep, outStep);
      acc2 = lanes<D>(dst + x2 * outStep, outStep);
      acc3 = lanes<D>(dst + x3 * outStep, outStep);
    }
    let row = src + ((<usize>(x * srcStep + col0)) << 2);
    let taps = tap;
    for (let r = 0; r < n; r++) {
      let p0 = row;
      let p1 = row + (x1 - x) * inStep;
      let p2 = row + (x2 - x) * inStep;
      let p3 = row + (x3 - x) * inStep;
      let t = taps;
      for (let c = 0; c < m; c++) {
        const w = v128.load32_splat(t);
        acc0 = madd(lanes<S>(p0, inStep), w, acc0);
        acc1 = madd(lanes<S>(p1, inStep), w, acc1);
        acc2 = madd(lanes<S>(p2, inStep), w, acc2);
        acc3 = madd(lanes<S>(p3, inStep), w, acc3);
        p0 += colBytes;
        p1 += colBytes;
        p2 += colBytes;
        p3 += colBytes;
        t += tapColBytes;
      }
      row += rowBytes;
      taps += tapRowBytes;
    }
    put<D>(dst + <usize>x * outStep, outStep, acc0, 0);
    put<D>(dst + x1 * outStep, outStep, acc1, 0);
    put<D>(dst + x2 * outStep, outStep, acc2, 0);
    put<D>(dst + x3 * outStep, outStep, acc3, 0);
  }
}

/** a·wa + b·wb + c·wc. */
function taps3(a: v128, b: v128, c: v128, wa: v128, wb: v128, wc: v128): v128 {
  return madd(c, wc, madd(b, wb, f32x4.mul(a, wa)));
}

/**
 * Σ of three adjacent taps (wa, wb, wc) of one source row at p, for four positions: columns
 * p, p + 1, p + 2 (elements) at stride 1; at stride 2 the even and odd lanes of two loads and
 * the even lanes moved on by one, so three loads serve the three taps.
 */
function row3<S>(p: usize, wa: v128, wb: v128, wc: v128): v128 {
  if (sizeof<S>() == 1) return taps3(v128.load(p), v128.load(p, 4), v128.load(p, 8), wa, wb, wc);
  const low = v128.load(p);
  const high = v128.load(p, 16);
  const even = f32x4.shuffle(low, high, 0, 2, 4, 6);
  const odd = f32x4.shuffle(low, high, 1, 3, 5, 7);
  return taps3(even, odd, f32x4.shuffle(even, v128.load(p, 20), 1, 2, 3, 7), wa, wb, wc);
}

/**
 * The gather for three rows of three adjacent taps (colMove = 1) into a contiguous destination
 * at stride 1 or 2, the nine taps in registers, for `lines` consecutive destination rows whose
 * source rows each start one source row further on (lines > 1 at stride 1 only). Two such rows
 * go together, sharing the loads of their two middle source rows.
 */
function gather3x3<S>(lines: i32): void {
  const t1 = tap + <usize>tapRowMove;
  const t2 = t1 + <usize>tapRowMove;
  const tc = <usize>tapColMove;
  const w00 = v128.load32_splat(tap);
  const w01 = v128.load32_splat(tap + tc);
  const w02 = v128.load32_splat(tap + 2 * tc);
  const w10 = v128.load32_splat(t1);
  const w11 = v128.load32_splat(t1 + tc);
  const w12 = v128.load32_splat(t1 + 2 * tc);
  const w20 = v128.load32_splat(t2);
  const w21 = v128.load32_splat(t2 + tc);
  const w22 = v128.load32_splat(t2 + 2 * tc);
  for (let line = 0; line < lines; line += 2) {
    gatherLines<S>(w00, w01, w02, w10, w11, w12, w20, w21, w22, line, min(2, lines - line));
  }
}

/**
 * Destination rows `line` .. line + count (count ≤ 2) of `gather3x3`, given its nine taps: the
 * blocks at the rows' ends, then their whole blocks inside, both rows at once when count is 2.
 */
function gatherLines<S>(
  w00: v128,
  w01: v128,
  w02: v128,
  w10: v128,
  w11: v128,
  w12: v128,
  w20: v128,
  w21: v128,
  w22: v128,
  line: i32,
  count: i32,
): void {
  const r1 = <usize>rowMove;
  const next = (<usize>positions) << 2; // the next destination row
  const adding = add;
  const step = srcStep;
  const width = srcWidth;
  const row0 = dst + <usize>line * next;
  const src0 = src + <usize>line * r1;
  for (let k = 0; k < count; k++) {
    const out0 = row0 + <usize>k * next;
    const l0 = src0 + <usize>k * r1;
    const l1 = l0 + r1;
    const l2 = l1 + r1;
    for (let x = 0; x < positions; x += 4) {
      if (x == first) x = last;
      if (x >= positions) break;
      const at = min(x, positions - 4);
      const out = out0 + ((<usize>at) << 2);
      const c = at * step + col0;
      let acc = adding ? v128.load(out) : f32x4.splat(0);
      acc = madd(zeroLanes<S>(l0, c, width, step), w00, acc);
      acc = madd(zeroLanes<S>(l0, c + 1, width, step), w01, acc);
      acc = madd(zeroLanes<S>(l0, c + 2, width, step), w02, acc);
      acc = madd(zeroLanes<S>(l1, c, width, step), w10, acc);
      acc = madd(zeroLanes<S>(l1, c + 1, width, step), w11, acc);
      acc = madd(zeroLanes<S>(l1, c + 2, width, step), w12, acc);
      acc = madd(zeroLanes<S>(l2, c, width, step), w20, acc);
      acc = madd(zeroLanes<S>(l2, c + 1, width, step), w21, acc);
      acc = madd(zeroLanes<S>(l2, c + 2, width, step), w22, acc);
      put<Contiguous>(out, 4, acc, x - at);
    }
  }
  let out = row0 + ((<usize>first) << 2);
  let p = src0 + ((<usize>(first * step + col0)) << 2);
  const move: usize = sizeof<S>() == 1 ? 16 : 32; // source bytes per block of 4 positions
  if (count == 1) {
    for (let x = first; x < last; x += 4) {
      let acc = adding ? v128.load(out) : f32x4.splat(0);
      acc = f32x4.add(acc, row3<S>(p, w00, w01, w02));
      acc = f32x4.add(acc, row3<S>(p + r1, w10, w11, w12));
      acc = f32x4.add(acc, row3<S>(p + r1 + r1, w20, w21, w22));
      v128.store(out, acc);
      out += 16;
      p += move;
    }
    return;
  }
  for (let x = first; x < last; x += 4) {
    const q = p + r1;
    const b0 = v128.load(q);
    const b1 = v128.load(q, 4);
    const b2 = v128.load(q, 8);
    const c0 = v128.load(q + r1);
    const c1 = v128.load(q + r1, 4);
    const c2 = v128.load(q + r1, 8);
    let upper = adding ? v128.load(out) : f32x4.splat(0);
    let lower = adding ? v128.load(out + next) : f32x4.splat(0);
    upper = f32x4.add(upper, row3<Contiguous>(p, w00, w01, w02));
    lower = f32x4.add(lower, taps3(b0, b1, b2, w00, w01, w02));
    upper = f32x4.add(upper, taps3(b0, b1, b2, w10, w11, w12));
    lower = f32x4.add(lower, taps3(c0, c1, c2, w10, w11, w12));
    upper = f32x4.add(upper, taps3(c0, c1, c2, w20, w21, w22));
    lower = f32x4.add(lower, row3<Contiguous>(q + r1 + r1, w20, w21, w22));
    v128.store(out, upper);
    v128.store(out + next, lower);
    out += 16;
    p += 16;
  }
}

/** The gather set up above for one destination row: S reads the source, D the destination. */
function gatherAs<S, D>(): void {
  if (positions < 4) {
    points(0, positions);
  } else if (sizeof<S>() <= 2 && sizeof<D>() == 1 && rows == 3 && cols == 3 && colMove == 1) {
    gather3x3<S>(1);
  } else {
    edges<S, D>();
    blocks<S, D>();
  }
}

/** Runs the gather compiled for its strides (a source row under 4 floats is read lane by lane). */
function gather(): void {
  const contiguous = srcStep == 1 && srcWidth >= 4;
  if (dstStep != 1) {
    if (contiguous) gatherAs<Contiguous, Strided>();
    else gatherAs<Strided, Strided>();
  } else if (contiguous) gatherAs<Contiguous, Contiguous>();
  else if (srcStep == 2) gatherAs<Pairs, Contiguous>();
  else gatherAs<Strided, Contiguous>();
}

/**
 * Sets the column part of the gather for one phase of a destination row (every row of the
 * plane shares it), its taps in increasing column order; false when no tap reaches the phase.
 */
function columns(phase: i32, phases: i32, dstW: i32, srcW: i32, transposed: bool): bool {
  reach(phase, kW, sW, pW, dW, i32.MIN_VALUE, i32.MAX_VALUE, transposed);
  if (tapCount == 0) return false;
  cols = tapCount;
  dstStep = phases;
  positions = (dstW - phase + phases - 1) / phases;
  srcStep = transposed ? 1 : sW;
  srcWidth = srcW;
  // The transposed map's columns fall as its taps rise: take the taps from the last.
  const turn = srcMove < 0;
  const end = cols - 1;
  col0 = turn ? srcAt + end * srcMove : srcAt;
  colMove = turn ? -srcMove : srcMove;
  tapColFirst = turn ? tapFirst + end * tapStep : tapFirst;
  tapColMove = (turn ? -tapStep : tapStep) * 4;
  // Inside: lo·srcStep + col0 ≥ 0 and (hi − 1)·srcStep + col0 + end·colMove < srcW.
  const room = srcW - 1 - col0 - end * colMove;
  const lo = col0 >= 0 ? 0 : (srcStep - 1 - col0) / srcStep;
  const hi = room >= 0 ? room / srcStep + 1 : 0;
  first = blockStart(lo, positions);
  last = blockEnd(first, min(hi, positions));
  return true;
}

/**
 * Sets the row part of the gather for destination row zh: rows, rowMove, tapRowMove, rowFirst
 * and tapRowFirst, its taps in increasing source row order.
 */
function rowTaps(zh: i32, srcH: i32, srcW: i32, transposed: bool): void {
  reach(zh, kH, sH, pH, dH, 0, srcH, transposed);
  const turn = srcMove < 0;
  const end = tapCount - 1;
  rows = tapCount;
  rowFirst = turn ? srcAt + end * srcMove : srcAt;
  rowMove = (turn ? -srcMove : srcMove) * srcW * 4;
  tapRowFirst = turn ? tapFirst + end * tapStep : tapFirst;
  tapRowMove = (turn ? -tapStep : tapStep) * kW * 4;
}

/**
 * Every destination row gathers from the source rows its taps reach. Forward: `source` is the
 * input plane and `target` the output plane, overwritten. Transposed: `source` is an output
 * gradient plane and `target` the input gradient plane, added into.
 */
function sweep(source: usize, target: usize, w: usize, transposed: bool): void {
  const dstD = transposed ? inD : outD;
  const dstH = transposed ? inH : outH;
  const dstW = transposed ? inW : outW;
  const srcD = transposed ? outD : inD;
  const srcH = transposed ? outH : inH;
  const srcW = transposed ? outW : inW;
  // Along W the transposed map's rows are sW interleaved phases, each a gather of its own.
  const phases = transposed ? sW : 1;
  for (let phase = 0; phase < phases; phase++) {
    if (!columns(phase, phases, dstW, srcW, transposed)) continue;
    // 3×3 taps at strides and dilations 1: the next destination row's source rows are this
    // row's moved on by one, so a row with all three and the one after share two.
    const pairs =
      cols == 3 &&
      colMove == 1 &&
      srcStep == 1 &&
      phases == 1 &&
      positions >= 4 &&
      srcW >= 4 &&
      kH == 3 &&
      sH == 1 &&
      dH == 1;
    for (let zd = 0; zd < dstD; zd++) {
      reach(zd, kD, sD, pD, dD, 0, srcD, transposed);
      const kd0 = tapFirst;
      const kdStep = tapStep;
      const slabs = tapCount;
      const sd0 = srcAt;
      const sdMove = srcMove;
      for (let zh = 0; zh < dstH;) {
        const row = target + ((<usize>((zd * dstH + zh) * dstW)) << 2);
        rowTaps(zh, srcH, srcW, transposed);
        if (slabs == 0 || rows == 0) {
          if (!transposed) memory.fill(row, 0, (<usize>dstW) << 2);
          zh++;
          continue;
        }
        // The run of rows from zh whose three source rows all exist.
        const run = pairs && rows == 3 ? min(dstH - zh, srcH - 2 - rowFirst) : 1;
        dst = row + ((<usize>phase) << 2);
        for (let j = 0; j < slabs; j++) {
          src = source + ((<usize>(((sd0 + j * sdMove) * srcH + rowFirst) * srcW)) << 2);
          const kd = kd0 + j * kdStep;
          tap = w + ((<usize>((kd * kH + tapRowFirst) * kW + tapColFirst)) << 2);
          add = transposed || j > 0;
          if (run > 1) gather3x3<Contiguous>(run);
          else gather();
        }
        zh += run;
      }
    }
  }
}

/** out plane = depthwise correlation of the input plane with the taps at `w`. */
export function dwForward(job: usize, input: usize, w: usize, out: usize): void {
  readGeometry(job);
  sweep(input, out, w, false);
}

/** Adds the input gradient of one output plane's gradient `gout` into `gin`. */
export function dwAdjoint(job: usize, gout: usize, w: usize, gin: usize): void {
  readGeometry(job);
  sweep(gout, gin, w, true);
}

/** ⌈n / s⌉ for n > 0, without a division at stride 1 (small planes make many of these). */
function ceilDiv(n: i32, s: i32): i32 {
  return s == 1 ? n : (n + s - 1) / s;
}

/**
 * The first output index, in 0 .. outN, whose input index o·s − p + t·d for tap t (stride s,
 * padding p, dilation d) is ≥ 0.
 */
function firstOut(t: i32, s: i32, p: i32, d: i32, outN: i32): i32 {
  const start = p - t * d;
  return min(outN, start <= 0 ? 0 : ceilDiv(start, s));
}

/** One past the last output index whose input index for tap t is < inN (no less than firstOut). */
function endOut(t: i32, s: i32, p: i32, d: i32, inN: i32, outN: i32): i32 {
  const room = inN + p - t * d;
  return max(firstOut(t, s, p, d, outN), min(outN, room <= 0 ? 0 : ceilDiv(room, s)));
}

/**
 * Adds into gw[0 .. n) the gradient of taps k0 .. k0 + n (n ≤ 3) of kernel row (kd, kh): a dot
 * product of the output gradient and the input shifted by the tap, over the plane, a register
 * per tap (a register of a missing tap repeats the last). Whole blocks of 4 output columns
 * whose taps all read inside the input row load plain vectors, with two registers per tap that
 * take turns (one chain of fused multiply-adds would wait on its latency); the blocks at the
 * row's ends load `zeroLanes`, and zeros past the row's end. o1 and o2 are the
 * bytes from tap k0's input to tap k1's and k2's (the second and third, or the last).
 */
function weightTaps<S>(
  input: usize,
  gout: usize,
  gw: usize,
  kd: i32,
  kh: i32,
  k0: i32,
  o1: usize,
  o2: usize,
): void {
  const n = min(3, kW - k0);
  const k1 = k0 + min(1, n - 1);
  const k2 = k0 + n - 1;
  const odLo = firstOut(kd, sD, pD, dD, outD);
  const odHi = endOut(kd, sD, pD, dD, inD, outD);
  const ohLo = firstOut(kh, sH, pH, dH, outH);
  const ohHi = endOut(kh, sH, pH, dH, inH, outH);
  const lo = blockStart(firstOut(k0, sW, pW, dW, outW), outW);
  const hi = blockEnd(lo, endOut(k2, sW, pW, dW, inW, outW));
  const step = (<usize>sW) << 2;
  const block = step << 2;
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let b0 = a0;
  let b1 = a0;
  let b2 = a0;
  for (let od = odLo; od < odHi; od++) {
    const id = od * sD - pD + kd * dD;
    for (let oh = ohLo; oh < ohHi; oh++) {
      const ih = oh * sH - pH + kh * dH;
      const g = gout + ((<usize>((od * outH + oh) * outW)) << 2);
      const line = input + ((<usize>((id * inH + ih) * inW)) << 2);
      for (let x = 0; x < outW; x += 4) {
        if (x == lo) x = hi;
        if (x >= outW) break;
        // Past the row's end: a zero gradient, and no input either (0·∞ would be NaN).
        const live = i32x4.lt_s(LANE, i32x4.splat(outW - x));
        const gv = x + 4 <= outW ? v128.load(g + ((<usize>x) << 2)) : zeroLanes<S>(g, x, outW, 1);
        const col = x * sW - pW;
        a0 = madd(gv, v128.and(zeroLanes<S>(line, col + k0 * dW, inW, sW), live), a0);
        a1 = madd(gv, v128.and(zeroLanes<S>(line, col + k1 * dW, inW, sW), live), a1);
        a2 = madd(gv, v128.and(zeroLanes<S>(line, col + k2 * dW, inW, sW), live), a2);
      }
      let gp = g + ((<usize>lo) << 2);
      let p = line + ((<usize>(lo * sW + k0 * dW - pW)) << 2);
      for (let x = lo; x < hi; x += 8) {
        let gv = v128.load(gp);
        a0 = madd(gv, lanes<S>(p, step), a0);
        a1 = madd(gv, lanes<S>(p + o1, step), a1);
        a2 = madd(gv, lanes<S>(p + o2, step), a2);
        if (x + 4 >= hi) break;
        gv = v128.load(gp, 16);
        p += block;
        b0 = madd(gv, lanes<S>(p, step), b0);
        b1 = madd(gv, lanes<S>(p + o1, step), b1);
        b2 = madd(gv, lanes<S>(p + o2, step), b2);
        gp += 32;
        p += block;
      }
    }
  }
  store<f32>(gw, load<f32>(gw) + total(f32x4.add(a0, b0)));
  if (n > 1) store<f32>(gw, load<f32>(gw, 4) + total(f32x4.add(a1, b1)), 4);
  if (n > 2) store<f32>(gw, load<f32>(gw, 8) + total(f32x4.add(a2, b2)), 8);
}

function weightAs<S>(input: usize, gout: usize, gw: usize): void {
  for (let kd = 0; kd < kD; kd++) {
    for (let kh = 0; kh < kH; kh++) {
      for (let k0 = 0; k0 < kW; k0 += 3) {
        const taps = gw + ((<usize>((kd * kH + kh) * kW + k0)) << 2);
        const end = min(3, kW - k0) - 1;
        // Passed in, not computed in weightTaps: TurboFan would recompute them in its loop.
        const o1 = <usize>(min(1, end) * dW * 4);
        const o2 = <usize>(end * dW * 4);
        weightTaps<S>(input, gout, taps, kd, kh, k0, o1, o2);
      }
    }
  }
}

/** Adds the weight gradient of one (input plane, output-gradient plane) pair into the taps `gw`. */
export function dwWeight(job: usize, input: usize, gout: usize, gw: usize): void {
  readGeometry(job);
  // zeroLanes<Contiguous> reads the output gradient's rows too: both need rows of at least 4.
  if (sW == 1 && inW >= 4 && outW >= 4) weightAs<Contiguous>(input, gout, gw);
  else if (sW == 2) weightAs<Pairs>(input, gout, gw);
  else weightAs<Strided>(input, gout, gw);
}
