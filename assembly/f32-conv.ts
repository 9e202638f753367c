// Grouped convolution, forward and both adjoints, shared out among the threads of the pool.
// Group g of sample n is a GEMM: y[n, g] = W[g] · cols[n, g], where cols holds the windows
// [C/groups · taps, positions]. The columns are made a slice at a time in each thread's own
// buffer (never the whole im2col matrix), or are the input itself for a pointwise conv; one input
// channel per group takes the direct kernels of f32-dwconv.ts instead.
import { f32_gemm, f32_gemm_workspace_bytes } from './f32-gemm';
import { arg, claim, f32Arg, ptr, shareStart } from './job';
import { clamp4 } from './simd';
import {
  C,
  COLS_BYTES,
  CONV_WORDS,
  COUT,
  D_H,
  D_W,
  GROUPS,
  IN_D,
  IN_H,
  IN_W,
  K_D,
  K_H,
  K_W,
  N,
  OUT_H,
  OUT_W,
  P_H,
  P_W,
  PTR0,
  PTR1,
  PTR2,
  inPlane,
  isPointwise,
  outPlane,
  S_H,
  S_W,
  slide,
  taps,
} from './conv-geometry';
import { dwAdjoint, dwForward, dwWeight } from './f32-dwconv';
import { winogradSetup, winogradTiles, winogradTilesOf, winogradWeightGrad } from './f32-winograd';

// The job's shape, read once per call by `readShape`. Globals belong to an instance and every
// thread runs its own instance, so threads never share them.
let n = 0;
let groups = 0;
/** Input and output channels per group. */
let cpg = 0;
let opg = 0;
/** Kernel taps, output positions, and the bytes of an input and an output plane. */
let kk = 0;
let positions = 0;
let planeIn: usize = 0;
let planeOut: usize = 0;

function readShape(job: usize): void {
  n = arg(job, N);
  groups = arg(job, GROUPS);
  cpg = arg(job, C) / groups;
  opg = arg(job, COUT) / groups;
  kk = taps(job);
  positions = outPlane(job);
  planeIn = (<usize>inPlane(job)) << 2;
  planeOut = (<usize>positions) << 2;
}

/** Columns per slice: as many as fit `bytes` for `rows` rows, and no more than `most`. */
function sliceColumns(job: usize, rows: i32, most: i32): i32 {
  return max(1, min(most, arg(job, COLS_BYTES) / (rows * 4)));
}

/**
 * How many samples share one product when output planes are small: their columns side by side
 * (`rows` of them, and `other` rows of the output or gradient block beside them in the column
 * buffer) make one wide product instead of a narrow one per sample, each of which packs the
 * weights again for a handful of columns. Under 2: samples go one at a time.
 */
function samplesPerProduct(job: usize, rows: i32, other: i32): i32 {
  if (positions == 0) return 0;
  return min(n, arg(job, COLS_BYTES) / ((rows + other) * 4) / positions);
}

/** Samples per chunk on small planes (samplesPerProduct), capped so every thread gets a chunk. */
function chunkSize(job: usize, rows: i32, threads: i32): i32 {
  return min(samplesPerProduct(job, rows, opg), (n + threads - 1) / threads);
}

// The chunk an item of a small-plane job covers, set by `chunkOf`: group g, samples s0 .. s1.
let chunkGroup = 0;
let chunkFirst = 0;
let chunkEnd = 0;

/** Sets the chunk of `item`, items being (chunk of `chunk` samples, group) in that order. */
function chunkOf(item: i32, chunk: i32): void {
  chunkGroup = item % groups;
  chunkFirst = (item / groups) * chunk;
  chunkEnd = min(n, chunkFirst + chunk);
}

/**
 * The forward conv, or (`adjoint`) its input gradient, on small planes: a chunk of samples per
 * product, items (chunk, group). `cols` [rows, width] holds the chunk's windows side by side and
 * `block` [opg, width] their output planes. Forward gathers the windows of `xs`, multiplies
 * W·cols into block and scatters it to the planes of `ys` (adding the bias, clamping to
 * [lo, hi]); the adjoint gathers the planes of `ys` (the output gradient) into block, multiplies
 * Wᵀ·block into cols and adds the windows back into the zeroed planes of `xs`.
 */
function smallPlanes(
  job: usize,
  work: usize,
  chunk: i32,
  xs: usize,
  w: usize,
  ys: usize,
  adjoint: bool,
  bias: usize,
  lo: f32,
  hi: f32,
): void {
  const rows = cpg * kk;
  const finishing = bias != 0 || lo > -Infinity || hi < Infinity;
  const items = groups * ((n + chunk - 1) / chunk);
  for (let item = claim(job); item < items; item = claim(job)) {
    chunkOf(item, chunk);
    const g = chunkGroup;
    const width = (chunkEnd - chunkFirst) * positions;
    const cols = work + f32_gemm_workspace_bytes();
    const block = cols + ((<usize>(rows * width)) << 2);
    const weights = w + ((<usize>(g * opg * rows)) << 2);
    for (let s = chunkFirst; s < chunkEnd; s++) {
      const column = (<usize>((s - chunkFirst) * positions)) << 2;
      const planesX = xs + <usize>(s * arg(job, C) + g * cpg) * planeIn;
      const planesY = ys + <usize>(s * arg(job, COUT) + g * opg) * planeOut;
      if (adjoint) planesBlock(planesY, planeOut, opg, positions, block + column, width, false);
      else slide(job, planesX, cpg, 0, positions, cols + column, width, false);
    }
    if (adjoint) {
      f32_gemm(
        rows,
        width,
        opg,
        weights,
        rows,
        block,
        width,
        cols,
        width,
        true,
        false,
        false,
        work,
      );
    } else {
      f32_gemm(
        opg,
        width,
        rows,
        weights,
        rows,
        cols,
        width,
        block,
        width,
        false,
        false,
        false,
        work,
      );
    }
    for (let s = chunkFirst; s < chunkEnd; s++) {
      const column = (<usize>((s - chunkFirst) * positions)) << 2;
      const planesX = xs + <usize>(s * arg(job, C) + g * cpg) * planeIn;
      const planesY = ys + <usize>(s * arg(job, COUT) + g * opg) * planeOut;
      if (adjoint) {
        memory.fill(planesX, 0, <usize>cpg * planeIn);
        slide(job, planesX, cpg, 0, positions, cols + column, width, true);
        continue;
      }
      planesBlock(planesY, planeOut, opg, positions, block + column, width, true);
      if (finishing) finish(planesY, planeOut, opg, positions, groupVector(bias, g), lo, hi);
    }
  }
}

/** Group g's part of a per-output-channel vector (the bias): 0 stays 0, none. */
function groupVector(vector: usize, g: i32): usize {
  return vector == 0 ? 0 : vector + ((<usize>(g * opg)) << 2);
}

/**
 * Copies `count` floats of each of `rows` planes `stride` bytes apart to the rows of a block
 * `width` floats wide, or (`back`) from the block to the planes.
 */
function planesBlock(
  planes: usize,
  stride: usize,
  rows: i32,
  count: i32,
  block: usize,
  width: i32,
  back: bool,
): void {
  const bytes = (<usize>count) << 2;
  for (let r = 0; r < rows; r++) {
    const plane = planes + <usize>r * stride;
    const row = block + ((<usize>(r * width)) << 2);
    if (back) memory.copy(plane, row, bytes);
    else memory.copy(row, plane, bytes);
  }
}

/** Fewer channels per group than this leave Winograd's transforms more work than they save. */
const WINOGRAD_MIN_CHANNELS = 16;

/**
 * Whether Winograd F(2×2, 3×3) serves the job: a 2-D 3×3 conv, stride 1, undilated, with enough
 * channels per group both ways.
 */
function isWinograd(job: usize): bool {
  return (
    arg(job, IN_D) == 1 &&
    arg(job, K_D) == 1 &&
    arg(job, K_H) == 3 &&
    arg(job, K_W) == 3 &&
    arg(job, S_H) == 1 &&
    arg(job, S_W) == 1 &&
    arg(job, D_H) == 1 &&
    arg(job, D_W) == 1 &&
    min(cpg, opg) >= WINOGRAD_MIN_CHANNELS
  );
}

/**
 * This thread's claims of a Winograd conv set up by `winogradSetup`: items (sample, group, range
 * of tiles), reading planes of `inStride` bytes from `input` (`inPerGroup` per group, `inTotal`
 * per sample) and writing planes of `outStride` bytes likewise.
 */
function winogradShare(
  job: usize,
  threads: i32,
  work: usize,
  w: usize,
  input: usize,
  inPerGroup: i32,
  inTotal: i32,
  inStride: usize,
  output: usize,
  outPerGroup: i32,
  outTotal: i32,
  outStride: usize,
  bias: usize,
  lo: f32,
  hi: f32,
): void {
  const tiles = winogradTiles();
  const parts = max(1, (threads + n * groups - 1) / (n * groups));
  const per = (tiles + parts - 1) / parts;
  const total = n * groups * parts;
  for (let item = claim(job); item < total; item = claim(job)) {
    const t0 = (item % parts) * per;
    if (t0 >= tiles) continue;
    const ng = item / parts;
    const s = ng / groups;
    const g = ng % groups;
    const image = input + <usize>(s * inTotal + g * inPerGroup) * inStride;
    const out = output + <usize>(s * outTotal + g * outPerGroup) * outStride;
    const scratch = work + f32_gemm_workspace_bytes();
    const groupBias: usize = bias == 0 ? 0 : bias + ((<usize>(g * outPerGroup)) << 2);
    const count = min(per, tiles - t0);
    winogradTilesOf(image, w, g, out, groupBias, lo, hi, t0, count, scratch, work);
  }
}

/**
 * Sets Winograd up for the forward conv or the weight gradient of a group's (or a part's) input
 * and output channels; whether they fit the column buffer.
 */
function winogradSetupFor(job: usize, channelsIn: i32, channelsOut: i32): bool {
  return winogradSetup(
    arg(job, IN_H),
    arg(job, IN_W),
    arg(job, OUT_H),
    arg(job, OUT_W),
    arg(job, P_H),
    arg(job, P_W),
    channelsIn,
    channelsOut,
    false,
    arg(job, COLS_BYTES),
  );
}

// The words after the geometry: the forward job's bias [Cout] or the weight job's bias gradient
// (0 for none), then the forward job's fused activation as the bounds of a clamp (f32 bits; ±∞
// for none).
const BIAS = CONV_WORDS;
const LO = CONV_WORDS + 1;
const HI = CONV_WORDS + 2;

/**
 * y = clamp(conv(x, w) (+ bias), lo, hi): x [N, C, ...in] (PTR0), w [Cout, C/groups, ...kernel]
 * (PTR1), y [N, Cout, ...out] (PTR2).
 */
export function f32_conv_job(job: usize, thread: i32, threads: i32, work: usize): void {
  readShape(job);
  const x = ptr(job, PTR0);
  const w = ptr(job, PTR1);
  const y = ptr(job, PTR2);
  const bias = ptr(job, BIAS);
  const lo = f32Arg(job, LO);
  const hi = f32Arg(job, HI);
  const finishing = bias != 0 || lo > -Infinity || hi < Infinity;
  if (cpg == 1) {
    const total = n * arg(job, COUT);
    for (let item = claim(job); item < total; item = claim(job)) {
      const o = item % arg(job, COUT);
      const input = x + <usize>((item / arg(job, COUT)) * arg(job, C) + o / opg) * planeIn;
      const plane = y + <usize>item * planeOut;
      dwForward(job, input, w + ((<usize>(o * kk)) << 2), plane);
      if (finishing)
        finish(plane, 0, 1, positions, bias == 0 ? 0 : bias + ((<usize>o) << 2), lo, hi);
    }
    return;
  }
  const winograd = isWinograd(job) && winogradSetupFor(job, cpg, opg);
  if (winograd) {
    const cout = arg(job, COUT);
    winogradShare(
      job,
      threads,
      work,
      w,
      x,
      cpg,
      arg(job, C),
      planeIn,
      y,
      opg,
      cout,
      planeOut,
      bias,
      lo,
      hi,
    );
    return;
  }
  const rows = cpg * kk;
  // Small planes: several samples per product, in chunks enough for every thread to have one.
  const chunk = chunkSize(job, rows, threads);
  if (chunk >= 2) {
    smallPlanes(job, work, chunk, x, w, y, false, bias, lo, hi);
    return;
  }
  const pointwise = isPointwise(job);
  // Enough slices for every thread to have work, each small enough for the column buffer.
  const parts = max(1, (threads + n * groups - 1) / (n * groups));
  let width = (positions + parts - 1) / parts;
  if (!pointwise) width = sliceColumns(job, rows, width);
  const slices = (positions + width - 1) / width;
  const cols = work + f32_gemm_workspace_bytes();
  const total = n * groups * slices;
  for (let item = claim(job); item < total; item = claim(job)) {
    const j0 = (item % slices) * width;
    const count = min(width, positions - j0);
    const ng = item / slices; // = sample · groups + group
    const g = ng % groups;
    const image = x + <usize>((ng / groups) * arg(job, C) + g * cpg) * planeIn;
    let b = cols;
    let ldb = count;
    if (pointwise) {
      b = image + ((<usize>j0) << 2);
      ldb = positions;
    } else {
      slide(job, image, cpg, j0, count, cols, count, false);
    }
    const out =
      y + <usize>((ng / groups) * arg(job, COUT) + g * opg) * planeOut + ((<usize>j0) << 2);
    f32_gemm(
      opg,
      count,
      rows,
      w + ((<usize>(g * opg * rows)) << 2),
      rows,
      b,
      ldb,
      out,
      positions,
      false,
      false,
      false,
      work,
    );
    if (finishing) {
      finish(out, planeOut, opg, count, groupVector(bias, g), lo, hi);
    }
  }
}

/**
 * Adds bias[r] (none when `bias` is 0) to `count` floats of each of `rows` rows from `out`, rows
 * `ld` bytes apart, and clamps them to [lo, hi]: the conv's bias and fused activation, on a block
 * of output that is still in cache.
 */
function finish(out: usize, ld: usize, rows: i32, count: i32, bias: usize, lo: f32, hi: f32): void {
  const low = f32x4.splat(lo);
  const high = f32x4.splat(hi);
  for (let r = 0; r < rows; r++) {
    const b: f32 = bias == 0 ? 0 : load<f32>(bias + ((<usize>r) << 2));
    const row = out + <usize>r * ld;
    const v = f32x4.splat(b);
    let j = 0;
    for (; j + 4 <= count; j += 4) {
      const at = row + ((<usize>j) << 2);
      v128.store(at, clamp4(f32x4.add(v128.load(at), v), low, high));
    }
    for (; j < count; j++) {
      const at = row + ((<usize>j) << 2);
      store<f32>(at, min<f32>(max<f32>(load<f32>(at) + b, lo), hi));
    }
  }
}

/** gx = convᵀ(gy): gy [N, Cout, ...out] (PTR0), w (PTR1), gx [N, C, ...in] (PTR2), overwritten. */
export function f32_conv_adjoint_job(job: usize, thread: i32, threads: i32, work: usize): void {
  readShape(job);
  const gy = ptr(job, PTR0);
  const w = ptr(job, PTR1);
  const gx = ptr(job, PTR2);
  if (cpg == 1) {
    // One input plane per group: it gathers from its group's opg output planes.
    const total = n * groups;
    for (let item = claim(job); item < total; item = claim(job)) {
      const gin = gx + <usize>item * planeIn;
      memory.fill(gin, 0, planeIn);
      const g = item % groups;
      for (let m = 0; m < opg; m++) {
        const o = g * opg + m;
        const gout = gy + <usize>((item / groups) * arg(job, COUT) + o) * planeOut;
        dwAdjoint(job, gout, w + ((<usize>(o * kk)) << 2), gin);
      }
    }
    return;
  }
  // The input gradient of a stride-1 conv is a stride-1 conv of gy with the filters flipped and
  // transposed, padded so that its output has the input's size.
  const winograd =
    isWinograd(job) &&
    winogradSetup(
      arg(job, OUT_H),
      arg(job, OUT_W),
      arg(job, IN_H),
      arg(job, IN_W),
      2 - arg(job, P_H),
      2 - arg(job, P_W),
      opg,
      cpg,
      true,
      arg(job, COLS_BYTES),
    );
  if (winograd) {
    const cout = arg(job, COUT);
    winogradShare(
      job,
      threads,
      work,
      w,
      gy,
      opg,
      cout,
      planeOut,
      gx,
      cpg,
      arg(job, C),
      planeIn,
      0,
      -Infinity,
      Infinity,
    );
    return;
  }
  const rows = cpg * kk;
  // Small planes: several samples per product (their gradient planes gathered into one block).
  const chunk = chunkSize(job, rows, threads);
  if (chunk >= 2) {
    smallPlanes(job, work, chunk, gx, w, gy, true, 0, -Infinity, Infinity);
    return;
  }
  const pointwise = isPointwise(job);
  // Threads split a group's input channels, so the planes they add into never overlap.
  const parts = min(cpg, max(1, (threads + n * groups - 1) / (n * groups)));
  const cols = work + f32_gemm_workspace_bytes();
  const total = n * groups * parts;
  for (let item = claim(job); item < total; item = claim(job)) {
    const part = item % parts;
    const ng = item / parts;
    const g = ng % groups;
    const c0 = shareStart(cpg, parts, part, 1);
    const c1 = shareStart(cpg, parts, part + 1, 1);
    const sub = (c1 - c0) * kk;
    const gin = gx + <usize>((ng / groups) * arg(job, C) + g * cpg + c0) * planeIn;
    const gout = gy + <usize>((ng / groups) * arg(job, COUT) + g * opg) * planeOut;
    // Rows c0·kk .. c1·kk of W[g]ᵀ: W[g] is stored [opg, rows].
    const a = w + ((<usize>(g * opg * rows + c0 * kk)) << 2);
    if (pointwise) {
      f32_gemm(
        sub,
        positions,
        opg,
        a,
        rows,
        gout,
        positions,
        gin,
        positions,
        true,
        false,
        false,
        work,
      );
      continue;
    }
    memory.fill(gin, 0, <usize>(c1 - c0) * planeIn);
    const width = sliceColumns(job, sub, positions);
    for (let j0 = 0; j0 < positions; j0 += width) {
      const count = min(width, positions - j0);
      f32_gemm(
        sub,
        count,
        opg,
        a,
        rows,
        gout + ((<usize>j0) << 2),
        positions,
        cols,
        count,
        true,
        false,
        false,
        work,
      );
      slide(job, gin, c1 - c0, j0, count, cols, count, true);
    }
  }
}

/**
 * The weight job by Winograd when it fits the column buffer (else false): items (group, part),
 * the parts splitting the group's input or output channels, whichever are more. Every part
 * transforms all the channels of the side not split, so splitting the larger side leaves each
 * thread the fewest transforms.
 */
function winogradWeights(
  job: usize,
  threads: i32,
  work: usize,
  x: usize,
  gy: usize,
  gw: usize,
): bool {
  const byOutput = opg > cpg;
  const split = byOutput ? opg : cpg;
  const parts = min(split, max(1, (threads + groups - 1) / groups));
  // The widest part fitting the column buffer means every part does.
  const widest = (split + parts - 1) / parts;
  if (!winogradSetupFor(job, byOutput ? cpg : widest, byOutput ? widest : opg)) return false;
  const rows = cpg * kk;
  const samples = <usize>arg(job, C) * planeIn;
  const outputs = <usize>arg(job, COUT) * planeOut;
  const total = groups * parts;
  for (let item = claim(job); item < total; item = claim(job)) {
    const g = item / parts;
    const p0 = shareStart(split, parts, item % parts, 1);
    const p1 = shareStart(split, parts, (item % parts) + 1, 1);
    const c0 = byOutput ? 0 : p0;
    const o0 = byOutput ? p0 : 0;
    winogradSetupFor(job, byOutput ? cpg : p1 - p0, byOutput ? p1 - p0 : opg);
    const image = x + <usize>(g * cpg + c0) * planeIn;
    const gout = gy + <usize>(g * opg + o0) * planeOut;
    const out = gw + ((<usize>(g * opg * rows + o0 * rows + c0 * kk)) << 2);
    const cols = work + f32_gemm_workspace_bytes();
    winogradWeightGrad(image, samples, gout, outputs, n, out, rows, cols, work);
  }
  return true;
}

/**
 * gb[o] = Σ over samples and positions of gy [N, cout, positions] for channels o0 .. o1: the bias
 * gradient, summed in float64 lanes.
 */
function biasGrad(gy: usize, cout: i32, gb: usize, o0: i32, o1: i32): void {
  for (let o = o0; o < o1; o++) {
    let low = f64x2.splat(0);
    let high = f64x2.splat(0);
    let rest: f64 = 0;
    for (let s = 0; s < n; s++) {
      const plane = gy + <usize>(s * cout + o) * planeOut;
      let j = 0;
      for (; j + 4 <= positions; j += 4) {
        const v = v128.load(plane + ((<usize>j) << 2));
        low = f64x2.add(low, f64x2.promote_low_f32x4(v));
        high = f64x2.add(high, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)));
      }
      for (; j < positions; j++) rest += <f64>load<f32>(plane + ((<usize>j) << 2));
    }
    const lanes = f64x2.add(low, high);
    const total = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1) + rest;
    store<f32>(gb + ((<usize>o) << 2), <f32>total);
  }
}

/**
 * gw = Σₙ gy[n]·cols[n]ᵀ: x (PTR0), gy (PTR1), gw [Cout, C/groups, ...kernel] (PTR2, 0 for none),
 * overwritten; with a bias gradient [Cout] at word BIAS (0: none), also its sums.
 */
export function f32_conv_weight_job(job: usize, thread: i32, threads: i32, work: usize): void {
  readShape(job);
  const x = ptr(job, PTR0);
  const gy = ptr(job, PTR1);
  const gw = ptr(job, PTR2);
  const gbias = ptr(job, BIAS);
  if (gbias != 0) {
    const cout = arg(job, COUT);
    biasGrad(
      gy,
      cout,
      gbias,
      shareStart(cout, threads, thread, 1),
      shareStart(cout, threads, thread + 1, 1),
    );
  }
  if (gw == 0) return; // the bias gradient alone
  if (cpg == 1) {
    const total = arg(job, COUT);
    for (let o = claim(job); o < total; o = claim(job)) {
      const gwTaps = gw + ((<usize>(o * kk)) << 2);
      memory.fill(gwTaps, 0, (<usize>kk) << 2);
      for (let s = 0; s < n; s++) {
        const input = x + <usize>(s * arg(job, C) + o / opg) * planeIn;
        dwWeight(job, input, gy + <usize>(s * arg(job, COUT) + o) * planeOut, gwTaps);
      }
    }
    return;
  }
  if (isWinograd(job) && winogradWeights(job, threads, work, x, gy, gw)) return;
  const rows = cpg * kk;
  const pointwise = isPointwise(job);
  // Threads split a group's input channels: each owns the weight columns of its channels.
  const parts = min(cpg, max(1, (threads + groups - 1) / groups));
  const cols = work + f32_gemm_workspace_bytes();
  const total = groups * parts;
  for (let item = claim(job); item < total; item = claim(job)) {
    const part = item % parts;
    const g = item / parts;
    const c0 = shareStart(cpg, parts, part, 1);
    const c1 = shareStart(cpg, parts, part + 1, 1);
    const sub = (c1 - c0) * kk;
    const out = gw + ((<usize>(g * opg * rows + c0 * kk)) << 2);
    if (n == 0 || positions == 0) {
      for (let o = 0; o < opg; o++)
        memory.fill(out + ((<usize>(o * rows)) << 2), 0, (<usize>sub) << 2);
      continue;
    }
    // Small planes: the product's depth is several samples' positions, not one's.
    const chunk = samplesPerProduct(job, sub, opg);
    if (chunk >= 2) {
      for (let s0 = 0; s0 < n; s0 += chunk) {
        const s1 = min(n, s0 + chunk);
        const depth = (s1 - s0) * positions;
        const block = cols + ((<usize>(sub * depth)) << 2);
        for (let s = s0; s < s1; s++) {
          const image = x + <usize>(s * arg(job, C) + g * cpg + c0) * planeIn;
          const gout = gy + <usize>(s * arg(job, COUT) + g * opg) * planeOut;
          const column = (<usize>((s - s0) * positions)) << 2;
          slide(job, image, c1 - c0, 0, positions, cols + column, depth, false);
          planesBlock(gout, planeOut, opg, positions, block + column, depth, false);
        }
        f32_gemm(opg, sub, depth, block, depth, cols, depth, out, rows, false, true, s0 > 0, work);
      }
      continue;
    }
    const width = pointwise ? positions : sliceColumns(job, sub, positions);
    let accumulate = false;
    for (let s = 0; s < n; s++) {
      const image = x + <usize>(s * arg(job, C) + g * cpg + c0) * planeIn;
      const gout = gy + <usize>(s * arg(job, COUT) + g * opg) * planeOut;
      for (let j0 = 0; j0 < positions; j0 += width) {
        const count = min(width, positions - j0);
        let b = cols;
        let ldb = count;
        if (pointwise) {
          b = image;
          ldb = positions;
        } else {
          slide(job, image, c1 - c0, j0, count, cols, count, false);
        }
        f32_gemm(
          opg,
          sub,
          count,
          gout + ((<usize>j0) << 2),
          positions,
          b,
          ldb,
          out,
          rows,
          false,
          true,
          accumulate,
          work,
        );
        accumulate = true;
      }
    }
  }
}

// The gate job's words: kind, the activation (1: ReLU, GATE_RELU6: ReLU6), count, y, g, out.
const GATE_RELU6 = 2;

/**
 * out = g where the fused activation's slope at y is 1 (y > 0 for ReLU, 0 < y < 6 for ReLU6),
 * else 0: the start of a conv's backward pass (out may be g itself). NaN in y gates to 0, as the
 * relu op's backward.
 */
export function f32_conv_gate_job(job: usize, thread: i32, threads: i32): void {
  const relu6 = arg(job, 1) == GATE_RELU6;
  const count = arg(job, 2);
  const y = ptr(job, 3);
  const g = ptr(job, 4);
  const out = ptr(job, 5);
  const zero = f32x4.splat(0);
  const six = f32x4.splat(6);
  let i = shareStart(count, threads, thread, 4);
  const end = shareStart(count, threads, thread + 1, 4);
  for (; i + 4 <= end; i += 4) {
    const at = (<usize>i) << 2;
    const v = v128.load(y + at);
    const positive = f32x4.gt(v, zero);
    const pass = relu6 ? v128.and(positive, f32x4.lt(v, six)) : positive;
    v128.store(out + at, v128.and(v128.load(g + at), pass));
  }
  for (; i < end; i++) {
    const at = (<usize>i) << 2;
    const v = load<f32>(y + at);
    store<f32>(out + at, v > 0 && (!relu6 || v < 6) ? load<f32>(g + at) : 0);
  }
}
