// log softmax along the middle axis of [outer, size, inner], and its gradient, shared out among
// the threads of the pool. A slice is contiguous when inner is 1 (logits [N, C]): four classes
// at a time; otherwise four neighbouring slices go together (logits [N, C, H, W] along C).
import { arg, ptr, shareStart } from './job';

// Job words: kind, outer, size, inner, then x and out (forward) or y, g and gx (backward).
const OUTER = 1;
const SIZE = 2;
const INNER = 3;
const A = 4;
const B = 5;
const C = 6;

/** Slices of `inner` > 1 go to the threads in blocks of this many neighbours. */
const BLOCK = 64;

// The job's slices, set by `readSlices` (each thread's instance has its own): their length and
// spacing, the blocks of neighbours per outer index, this thread's items [first, last), and the
// bytes between a slice's entries.
let size = 0;
let inner = 0;
let blocks = 0;
let first = 0;
let last = 0;
let step: usize = 0;

function readSlices(job: usize, thread: i32, threads: i32): void {
  size = arg(job, SIZE);
  inner = arg(job, INNER);
  blocks = (inner + BLOCK - 1) / BLOCK;
  const items = arg(job, OUTER) * blocks;
  first = shareStart(items, threads, thread, 1);
  last = shareStart(items, threads, thread + 1, 1);
  step = (<usize>inner) << 2;
}

/**
 * e^x lane-wise for x ≤ 0 (the arguments log softmax makes: x − max, or a log-probability), and
 * +∞ → +∞, NaN → NaN; below −87.3 the result is 0 (float32's smallest normal is e^−87.3). A
 * positive finite x is taken as 0. Cephes's expf: e^x = 2ⁿ·e^r, n = round(x·log₂e),
 * r = x − n·ln 2 in two parts, e^r by its degree-7 polynomial; within 2 ulp.
 */
function exp4(x: v128): v128 {
  const clamped = f32x4.min(f32x4.max(x, f32x4.splat(-87.33)), f32x4.splat(0));
  const n = f32x4.nearest(f32x4.mul(clamped, f32x4.splat(1.44269504)));
  const r = f32x4.sub(
    f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(0.693359375))),
    f32x4.mul(n, f32x4.splat(-2.1219444e-4)),
  );
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const e = f32x4.mul(p, scale);
  // 0 below the range, +∞ at +∞, NaN kept (the clamps turned it into a number).
  const underflow = f32x4.lt(x, f32x4.splat(-87.33));
  const infinite = f32x4.eq(x, f32x4.splat(Infinity));
  const nan = f32x4.ne(x, x);
  const kept = v128.bitselect(f32x4.splat(Infinity), v128.andnot(e, underflow), infinite);
  return v128.bitselect(x, kept, nan);
}

/** e^x for one float, by lane 0 of `exp4` (the same rounding as the vector path). */
function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/**
 * The slice's shift: its maximum when finite, else 0 (an all −∞ slice then gives NaN, a +∞
 * entry NaN for itself and −∞ for the others, as the reference).
 */
function shiftOf(largest: f32): f32 {
  return largest - largest == 0 ? largest : 0;
}

/** log Σ + shift, the slice's log-sum-exp, rounded once to float32. */
function lseOf(sum: f64, shift: f32): f32 {
  return <f32>(Math.log(sum) + <f64>shift);
}

/** out = x − shift − log Σ exp(x − shift) for this thread's slices. */
export function log_softmax_job(job: usize, thread: i32, threads: i32): void {
  readSlices(job, thread, threads);
  const x = ptr(job, A);
  const out = ptr(job, B);
  for (let item = first; item < last; item++) {
    const o = item / blocks;
    const i0 = (item % blocks) * BLOCK;
    const i1 = min(inner, i0 + BLOCK);
    const base = x + ((<usize>(o * size * inner)) << 2);
    const outBase = out + ((<usize>(o * size * inner)) << 2);
    if (inner == 1) {
      contiguousRow(base, outBase, size);
      continue;
    }
    let i = i0;
    for (; i + 4 <= i1; i += 4)
      stridedQuad(base + ((<usize>i) << 2), outBase + ((<usize>i) << 2), size, step);
    for (; i < i1; i++)
      stridedOne(base + ((<usize>i) << 2), outBase + ((<usize>i) << 2), size, step);
  }
}

/** One contiguous slice of `size` floats. */
function contiguousRow(x: usize, out: usize, size: i32): void {
  let top = f32x4.splat(-Infinity);
  let s = 0;
  for (; s + 4 <= size; s += 4) top = f32x4.max(top, v128.load(x + ((<usize>s) << 2)));
  let largest = max<f32>(
    max<f32>(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)),
    max<f32>(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3)),
  );
  for (; s < size; s++) largest = max<f32>(largest, load<f32>(x + ((<usize>s) << 2)));
  const shift = shiftOf(largest);
  const shifts = f32x4.splat(shift);
  let sums = f32x4.splat(0);
  s = 0;
  for (; s + 4 <= size; s += 4) {
    sums = f32x4.add(sums, exp4(f32x4.sub(v128.load(x + ((<usize>s) << 2)), shifts)));
  }
  let sum: f64 =
    <f64>f32x4.extract_lane(sums, 0) +
    <f64>f32x4.extract_lane(sums, 1) +
    <f64>f32x4.extract_lane(sums, 2) +
    <f64>f32x4.extract_lane(sums, 3);
  for (; s < size; s++) sum += <f64>exp1(load<f32>(x + ((<usize>s) << 2)) - shift);
  const lse = lseOf(sum, shift);
  const lses = f32x4.splat(lse);
  s = 0;
  for (; s + 4 <= size; s += 4) {
    const at = (<usize>s) << 2;
    v128.store(out + at, f32x4.sub(v128.load(x + at), lses));
  }
  for (; s < size; s++) store<f32>(out + ((<usize>s) << 2), load<f32>(x + ((<usize>s) << 2)) - lse);
}

/** Four neighbouring slices, each `size` floats `step` bytes apart, as the lanes of vectors. */
function stridedQuad(x: usize, out: usize, size: i32, step: usize): void {
  let top = f32x4.splat(-Infinity);
  for (let s = 0; s < size; s++) top = f32x4.max(top, v128.load(x + <usize>s * step));
  // shiftOf lane-wise: top where top − top is 0 (finite), else 0.
  const shifts = v128.and(top, f32x4.eq(f32x4.sub(top, top), f32x4.splat(0)));
  let sums = f32x4.splat(0);
  for (let s = 0; s < size; s++) {
    sums = f32x4.add(sums, exp4(f32x4.sub(v128.load(x + <usize>s * step), shifts)));
  }
  let lses = f32x4.splat(lseOf(f32x4.extract_lane(sums, 0), f32x4.extract_lane(shifts, 0)));
  lses = f32x4.replace_lane(
    lses,
    1,
    lseOf(f32x4.extract_lane(sums, 1), f32x4.extract_lane(shifts, 1)),
  );
  lses = f32x4.replace_lane(
    lses,
    2,
    lseOf(f32x4.extract_lane(sums, 2), f32x4.extract_lane(shifts, 2)),
  );
  lses = f32x4.replace_lane(
    lses,
    3,
    lseOf(f32x4.extract_lane(sums, 3), f32x4.extract_lane(shifts, 3)),
  );
  for (let s = 0; s < size; s++) {
    const at = <usize>s * step;
    v128.store(out + at, f32x4.sub(v128.load(x + at), lses));
  }
}

/** One slice of `size` floats `step` bytes apart. */
function stridedOne(x: usize, out: usize, size: i32, step: usize): void {
  let largest: f32 = -Infinity;
  for (let s = 0; s < size; s++) largest = max<f32>(largest, load<f32>(x + <usize>s * step));
  const shift = shiftOf(largest);
  let sum: f64 = 0;
  for (let s = 0; s < size; s++) sum += <f64>exp1(load<f32>(x + <usize>s * step) - shift);
  const lse = lseOf(sum, shift);
  for (let s = 0; s < size; s++) {
    const at = <usize>s * step;
    store<f32>(out + at, load<f32>(x + at) - lse);
  }
}

/** gx = g − exp(y)·Σ g along each slice, for this thread's slices. */
export function log_softmax_backward_job(job: usize, thread: i32, threads: i32): void {
  readSlices(job, thread, threads);
  for (let item = first; item < last; item++) {
    const o = item / blocks;
    const offset = (<usize>(o * size * inner + (item % blocks) * BLOCK)) << 2;
    const y = ptr(job, A) + offset;
    const g = ptr(job, B) + offset;
    const gx = ptr(job, C) + offset;
    const count = min(BLOCK, inner - (item % blocks) * BLOCK);
    if (inner == 1) {
      let totals = f32x4.splat(0);
      let s = 0;
      for (; s + 4 <= size; s += 4) totals = f32x4.add(totals, v128.load(g + ((<usize>s) << 2)));
      let total: f64 =
        <f64>f32x4.extract_lane(totals, 0) +
        <f64>f32x4.extract_lane(totals, 1) +
        <f64>f32x4.extract_lane(totals, 2) +
        <f64>f32x4.extract_lane(totals, 3);
      for (; s < size; s++) total += <f64>load<f32>(g + ((<usize>s) << 2));
      const t = f32x4.splat(<f32>total);
      s = 0;
      for (; s + 4 <= size; s += 4) {
        const at = (<usize>s) << 2;
        v128.store(gx + at, f32x4.sub(v128.load(g + at), f32x4.mul(exp4(v128.load(y + at)), t)));
      }
      for (; s < size; s++) {
        const at = (<usize>s) << 2;
        store<f32>(gx + at, load<f32>(g + at) - exp1(load<f32>(y + at)) * <f32>total);
      }
      continue;
    }
    let i = 0;
    for (; i + 4 <= count; i += 4) {
      const lane = (<usize>i) << 2;
      let t = f32x4.splat(0);
      for (let s = 0; s < size; s++) t = f32x4.add(t, v128.load(g + lane + <usize>s * step));
      for (let s = 0; s < size; s++) {
        const at = lane + <usize>s * step;
        v128.store(gx + at, f32x4.sub(v128.load(g + at), f32x4.mul(exp4(v128.load(y + at)), t)));
      }
    }
    for (; i < count; i++) {
      const lane = (<usize>i) << 2;
      let t: f32 = 0;
      for (let s = 0; s < size; s++) t += load<f32>(g + lane + <usize>s * step);
      for (let s = 0; s < size; s++) {
        const at = lane + <usize>s * step;
        store<f32>(gx + at, load<f32>(g + at) - exp1(load<f32>(y + at)) * t);
      }
    }
  }
}
