// int8 convolution, float32 in and out: the kernel interface's `quantizedConv` (a linear layer
// is a conv with no spatial dims). XNNPACK's qu8 activations × qs8 weights, int32 sums,
// requantized per output channel — rounded in f64, so it matches the reference backend bit for bit.
//
// Two jobs. `qu8_quantize_job` quantizes x to uint8 and keeps it centred (q − zero point) as
// i16. `qu8_conv_job` then takes, per group, tiles of T output columns (sample, position): it
// gathers their windows (`slide`, on i16) into a panel whose reduction pairs are interleaved —
// for each block of 8 columns, pair kp holds (x[2kp][j], x[2kp + 1][j]) for j in the block — so
// `i32x4.dot_i16x8_s` of four columns' pairs with one channel's splatted weight pair adds two
// products to each of four column sums. The microkernel keeps 4 channels × 8 columns of sums in
// registers while it streams one panel block (L1) against four weight rows.
import { arg, f32Arg, ptr, shareStart } from './job';
import { f32_gemm_workspace_bytes } from './f32-gemm';
import {
  C,
  CONV_WORDS,
  COUT,
  GROUPS,
  N,
  PTR0,
  PTR1,
  PTR2,
  inPlane,
  outPlane,
  slide,
  taps,
} from './conv-geometry';

// Words of the quantize job.
const Q_COUNT = 1;
const Q_X = 2;
const Q_OUT = 3;
const Q_SCALE = 4; // f32 bits
const Q_ZERO = 5;

// Words of the conv job after the conv geometry; PTR0 is the centred input, PTR1 the packed
// weights [groups, opgPad, kPad] (i16), PTR2 the float32 output.
const BIAS = CONV_WORDS; // i32 [groups · opgPad]
const MULTIPLIER = CONV_WORDS + 1; // f64 [groups · opgPad]
const OUT_ZERO = CONV_WORDS + 2;
const OUT_MIN = CONV_WORDS + 3;
const OUT_MAX = CONV_WORDS + 4;
const OUT_SCALE = CONV_WORDS + 5; // f32 bits
const TILE = CONV_WORDS + 6; // columns per tile, a multiple of 8
const K_PAD = CONV_WORDS + 7; // the reduction length rounded up to a pair
const OPG_PAD = CONV_WORDS + 8; // output channels per group rounded up to 4

/** Two f64 lanes → round(v / scale) clamped to [lo, hi], as two i32 lanes (the upper two zero). */
function quantizeHalf(v: v128, scale: v128, lo: v128, hi: v128): v128 {
  const q = f64x2.nearest(f64x2.div(v, scale));
  return i32x4.trunc_sat_f64x2_s_zero(f64x2.min(f64x2.max(q, lo), hi));
}

/** Four f32 lanes quantized (see quantizeHalf) into four i32 lanes. */
function quantize4(v: v128, scale: v128, lo: v128, hi: v128): v128 {
  const a = quantizeHalf(f64x2.promote_low_f32x4(v), scale, lo, hi);
  const b = quantizeHalf(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)), scale, lo, hi);
  return i64x2.shuffle(a, b, 0, 2);
}

/**
 * q[i] = clamp(round(x[i] / scale), −zero, 255 − zero) as i16: uint8 quantization (ONNX's
 * QuantizeLinear, ties to even) minus the zero point. NaN gives 0, as in the reference.
 */
export function qu8_quantize_job(job: usize, thread: i32, threads: i32): void {
  const count = arg(job, Q_COUNT);
  const x = ptr(job, Q_X);
  const q = ptr(job, Q_OUT);
  const scale = f64x2.splat(<f64>f32Arg(job, Q_SCALE));
  const zero = arg(job, Q_ZERO);
  const lo = f64x2.splat(<f64>-zero);
  const hi = f64x2.splat(<f64>(255 - zero));
  const first = shareStart(count, threads, thread, 8);
  const last = shareStart(count, threads, thread + 1, 8);
  let i = first;
  for (; i + 8 <= last; i += 8) {
    const at = x + ((<usize>i) << 2);
    const low = quantize4(v128.load(at), scale, lo, hi);
    const high = quantize4(v128.load(at, 16), scale, lo, hi);
    v128.store(q + ((<usize>i) << 1), i16x8.narrow_i32x4_s(low, high));
  }
  for (; i < last; i++) {
    const v = quantize4(f32x4.splat(load<f32>(x + ((<usize>i) << 2))), scale, lo, hi);
    store<i16>(q + ((<usize>i) << 1), <i16>i32x4.extract_lane(v, 0));
  }
}

// The conv job's shape, read once per call (globals are per instance, so per thread).
let groups = 0;
let cpg = 0;
let opg = 0;
let cout = 0;
let kk = 0;
let positions = 0;
let planeIn = 0;
let kPad = 0;
let opgPad = 0;
let tile = 0;

function readShape(job: usize): void {
  groups = arg(job, GROUPS);
  cpg = arg(job, C) / groups;
  cout = arg(job, COUT);
  opg = cout / groups;
  kk = taps(job);
  positions = outPlane(job);
  planeIn = inPlane(job);
  kPad = arg(job, K_PAD);
  opgPad = arg(job, OPG_PAD);
  tile = arg(job, TILE);
}

/** Byte address of pair kp of column block `block` in a panel (8 columns × 4 bytes per pair). */
function pairAt(panel: usize, block: i32, kp: i32): usize {
  return panel + ((<usize>(block * (kPad >> 1) + kp)) << 5);
}

/**
 * The panel of group g for columns j0 .. j0 + count (zero beyond count, up to the tile): the
 * windows gathered as rows [kPad, tile] into `rows` by `slide` (one call per sample the columns
 * span), then interleaved in pairs.
 */
function buildPanel(
  job: usize,
  q: usize,
  g: i32,
  j0: i32,
  count: i32,
  panel: usize,
  rows: usize,
): void {
  const rowBytes = (<usize>tile) << 1;
  if (count < tile) memory.fill(rows, 0, <usize>kPad * rowBytes);
  else if (cpg * kk < kPad) memory.fill(rows + <usize>(kPad - 1) * rowBytes, 0, rowBytes);
  for (let j = j0; j < j0 + count;) {
    const sample = j / positions;
    const p = j % positions;
    const run = min(positions - p, j0 + count - j);
    const image = q + ((<usize>((sample * arg(job, C) + g * cpg) * planeIn)) << 1);
    slide(job, image, cpg, p, run, rows + ((<usize>(j - j0)) << 1), tile, false, 1);
    j += run;
  }
  for (let kp = 0; kp < kPad >> 1; kp++) {
    const first = rows + <usize>(2 * kp) * rowBytes;
    for (let j = 0; j < tile; j += 8) {
      const a = v128.load(first + ((<usize>j) << 1));
      const b = v128.load(first + rowBytes + ((<usize>j) << 1));
      const out = pairAt(panel, j >> 3, kp);
      v128.store(out, i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11));
      v128.store(out, i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15), 16);
    }
  }
}

/**
 * The panel when every column's window is its own contiguous input row (a linear layer, or a
 * pointwise conv of a 1×1 image): its pairs are adjacent in memory already.
 */
function copyPanel(job: usize, q: usize, g: i32, j0: i32, count: i32, panel: usize): void {
  const stride = (<usize>arg(job, C)) << 1;
  const start = q + ((<usize>(g * cpg)) << 1);
  for (let j = 0; j < tile; j++) {
    const row = start + <usize>(j0 + j) * stride;
    for (let kp = 0; kp < kPad >> 1; kp++) {
      let v: u32 = 0;
      if (j < count) {
        const at = row + ((<usize>kp) << 2);
        v = 2 * kp + 1 < cpg ? load<u32>(at) : <u32>load<u16>(at); // an odd row ends in one value
      }
      store<u32>(pairAt(panel, j >> 3, kp) + ((<usize>(j & 7)) << 2), v);
    }
  }
}

// Requantization of the current job, read once per call.
let outZero = 0;
let outMin = 0;
let outMax = 0;
let outScale: f32 = 0;
let bias: usize = 0;
let multiplier: usize = 0;
let output: usize = 0;

/** Two f64 lanes → round(v · m) clamped to ±1024 (beyond any uint8 result), as two i32 lanes. */
function requantizeHalf(v: v128, m: v128): v128 {
  const r = f64x2.nearest(f64x2.mul(v, m));
  return i32x4.trunc_sat_f64x2_s_zero(
    f64x2.min(f64x2.max(r, f64x2.splat(-1024)), f64x2.splat(1024)),
  );
}

/** Stores `value` as output channel `c` of flattened column `column` (sample, position). */
function storeAt(c: i32, column: i32, value: f32): void {
  const at = (column / positions) * cout + c;
  store<f32>(output + ((<usize>(at * positions + (column % positions))) << 2), value);
}

/**
 * Finishes four column sums of output channel `c` (packed row `packed`): adds the bias,
 * requantizes to uint8 with the clamp, dequantizes, and stores the first `valid` lanes.
 */
function finish(sums: v128, c: i32, packed: i32, column: i32, valid: i32): void {
  if (valid <= 0) return;
  const s = i32x4.add(sums, i32x4.splat(load<i32>(bias + ((<usize>packed) << 2))));
  const m = f64x2.splat(load<f64>(multiplier + ((<usize>packed) << 3)));
  const low = requantizeHalf(f64x2.convert_low_i32x4_s(s), m);
  const high = requantizeHalf(f64x2.convert_low_i32x4_s(i32x4.shuffle(s, s, 2, 3, 2, 3)), m);
  const zero = i32x4.splat(outZero);
  let q = i32x4.add(i64x2.shuffle(low, high, 0, 2), zero);
  q = i32x4.min_s(i32x4.max_s(q, i32x4.splat(outMin)), i32x4.splat(outMax));
  const v = f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(q, zero)), f32x4.splat(outScale));
  const p = column % positions;
  if (valid == 4 && p + 4 <= positions) {
    const at = (column / positions) * cout + c;
    v128.store(output + ((<usize>(at * positions + p)) << 2), v);
    return;
  }
  storeAt(c, column, f32x4.extract_lane(v, 0));
  if (valid > 1) storeAt(c, column + 1, f32x4.extract_lane(v, 1));
  if (valid > 2) storeAt(c, column + 2, f32x4.extract_lane(v, 2));
  if (valid > 3) storeAt(c, column + 3, f32x4.extract_lane(v, 3));
}

/**
 * 4 channels × 8 columns: the sums of panel block `block` against the four weight rows from
 * `w` (packed row `packed` of group g), finished for columns from `column` (`count` valid).
 */
function microkernel(
  panel: usize,
  block: i32,
  w: usize,
  g: i32,
  cb: i32,
  column: i32,
  count: i32,
): void {
  let s0a = i32x4.splat(0);
  let s0b = i32x4.splat(0);
  let s1a = i32x4.splat(0);
  let s1b = i32x4.splat(0);
  let s2a = i32x4.splat(0);
  let s2b = i32x4.splat(0);
  let s3a = i32x4.splat(0);
  let s3b = i32x4.splat(0);
  const row = (<usize>kPad) << 1;
  let a = pairAt(panel, block, 0);
  const end = pairAt(panel, block, kPad >> 1);
  let wp = w;
  for (; a < end; a += 32, wp += 4) {
    const x0 = v128.load(a);
    const x1 = v128.load(a, 16);
    const w0 = v128.load32_splat(wp);
    s0a = i32x4.add(s0a, i32x4.dot_i16x8_s(x0, w0));
    s0b = i32x4.add(s0b, i32x4.dot_i16x8_s(x1, w0));
    const w1 = v128.load32_splat(wp + row);
    s1a = i32x4.add(s1a, i32x4.dot_i16x8_s(x0, w1));
    s1b = i32x4.add(s1b, i32x4.dot_i16x8_s(x1, w1));
    const w2 = v128.load32_splat(wp + 2 * row);
    s2a = i32x4.add(s2a, i32x4.dot_i16x8_s(x0, w2));
    s2b = i32x4.add(s2b, i32x4.dot_i16x8_s(x1, w2));
    const w3 = v128.load32_splat(wp + 3 * row);
    s3a = i32x4.add(s3a, i32x4.dot_i16x8_s(x0, w3));
    s3b = i32x4.add(s3b, i32x4.dot_i16x8_s(x1, w3));
  }
  const c = g * opg + cb;
  const packed = g * opgPad + cb;
  const rest = min(4, count - 4);
  const left = min(4, count);
  finish(s0a, c, packed, column, left);
  finish(s0b, c, packed, column + 4, rest);
  if (cb + 1 >= opg) return;
  finish(s1a, c + 1, packed + 1, column, left);
  finish(s1b, c + 1, packed + 1, column + 4, rest);
  if (cb + 2 >= opg) return;
  finish(s2a, c + 2, packed + 2, column, left);
  finish(s2b, c + 2, packed + 2, column + 4, rest);
  if (cb + 3 >= opg) return;
  finish(s3a, c + 3, packed + 3, column, left);
  finish(s3b, c + 3, packed + 3, column + 4, rest);
}

/**
 * The int8 conv on centred i16 input (PTR0) and packed weights (PTR1) into float32 output
 * (PTR2): this thread's share of the (group, tile of columns) items.
 */
export function qu8_conv_job(job: usize, thread: i32, threads: i32, work: usize): void {
  readShape(job);
  outZero = arg(job, OUT_ZERO);
  outMin = arg(job, OUT_MIN);
  outMax = arg(job, OUT_MAX);
  outScale = f32Arg(job, OUT_SCALE);
  bias = ptr(job, BIAS);
  multiplier = ptr(job, MULTIPLIER);
  output = ptr(job, PTR2);
  const q = ptr(job, PTR0);
  const weights = ptr(job, PTR1);
  const total = arg(job, N) * positions;
  const tiles = (total + tile - 1) / tile;
  const direct = positions == 1 && planeIn == 1 && kk == 1;
  const panel = work + f32_gemm_workspace_bytes();
  const rows = panel + <usize>tile * ((<usize>kPad) << 1);
  const first = shareStart(groups * tiles, threads, thread, 1);
  const last = shareStart(groups * tiles, threads, thread + 1, 1);
  for (let item = first; item < last; item++) {
    const g = item / tiles;
    const j0 = (item % tiles) * tile;
    const count = min(tile, total - j0);
    if (direct) copyPanel(job, q, g, j0, count, panel);
    else buildPanel(job, q, g, j0, count, panel, rows);
    for (let j = 0; j < count; j += 8) {
      for (let cb = 0; cb < opg; cb += 4) {
        const w = weights + ((<usize>((g * opgPad + cb) * kPad)) << 1);
        microkernel(panel, j >> 3, w, g, cb, j0 + j, count - j);
      }
    }
  }
}
