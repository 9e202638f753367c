// Pooling windows over independent planes, the kernel interface's windowMax, windowSum and
// windowSumBackward on f32. Windows are separable: along each of the three axes (1-D and 2-D
// pooling get leading axes of size 1), output o reads input start[o] + j·step for j < count[o].
// Each window is walked in row-major order, as the reference does, so the first maximum, the
// f64 sums and the scatter order are the same. Threads take whole planes.
import { arg, ptr, shareStart } from './job';

// Job words: kind, what, planes, in sizes (D, H, W), out sizes (D, H, W), steps (D, H, W), the
// starts and counts tables (each axis's outSize entries, D then H then W), src, dst, argmax.
const WHAT = 1;
const PLANES = 2;
const IN = 3;
const OUT = 6;
const STEP = 9;
const STARTS = 12;
const COUNTS = 13;
const SRC = 14;
const DST = 15;
const ARGMAX = 16;
/** 1 when every window is 2×2 at stride 2 without padding (max pooling's common case). */
const PAIRS = 17;

const MAX = 0;
const SUM = 1;
const SUM_BACKWARD = 2;

/** Entry o of a table part (an axis's starts or counts). */
function entry(part: usize, o: i32): i32 {
  return load<i32>(part + ((<usize>o) << 2));
}

/**
 * Whether `v` replaces `best` as a window's maximum: it is larger or a NaN, while best is not a
 * NaN yet — so the first maximum in window order wins, and a NaN wins for good.
 */
function better(best: f32, v: f32): bool {
  return best == best && (v > best || v != v);
}

/** Runs this thread's planes of a window job. */
export function window_job(job: usize, thread: i32, threads: i32): void {
  const what = arg(job, WHAT);
  const inH = arg(job, IN + 1);
  const inW = arg(job, IN + 2);
  const outD = arg(job, OUT);
  const outH = arg(job, OUT + 1);
  const outW = arg(job, OUT + 2);
  const stepD = arg(job, STEP);
  const stepH = arg(job, STEP + 1);
  const stepW = arg(job, STEP + 2);
  // Each table holds the D part, then H, then W.
  const startsD = ptr(job, STARTS);
  const startsH = startsD + ((<usize>outD) << 2);
  const startsW = startsH + ((<usize>outH) << 2);
  const countsD = ptr(job, COUNTS);
  const countsH = countsD + ((<usize>outD) << 2);
  const countsW = countsH + ((<usize>outH) << 2);
  const inCount = <usize>(arg(job, IN) * inH * inW);
  const outCount = <usize>(outD * outH * outW);
  const first = shareStart(arg(job, PLANES), threads, thread, 1);
  const last = shareStart(arg(job, PLANES), threads, thread + 1, 1);
  for (let p = first; p < last; p++) {
    const input = ptr(job, what == SUM_BACKWARD ? DST : SRC) + ((<usize>p * inCount) << 2);
    const output = ptr(job, what == SUM_BACKWARD ? SRC : DST) + ((<usize>p * outCount) << 2);
    const argmax = ptr(job, ARGMAX) + ((<usize>p * outCount) << 2);
    if (what == SUM_BACKWARD) memory.fill(input, 0, inCount << 2);
    if (what == MAX && arg(job, PAIRS) == 1) {
      maxPairs(input, inW, outH, outW, output, argmax);
      continue;
    }
    let o: usize = 0;
    for (let od = 0; od < outD; od++) {
      const d0 = entry(startsD, od);
      const cd = entry(countsD, od);
      for (let oh = 0; oh < outH; oh++) {
        const h0 = entry(startsH, oh);
        const ch = entry(countsH, oh);
        for (let ow = 0; ow < outW; ow++, o++) {
          const w0 = entry(startsW, ow);
          const cw = entry(countsW, ow);
          const at = output + (o << 2);
          // The first element of the window (its argmax until a larger one comes).
          let best: f32 = -Infinity;
          let bestAt = (d0 * inH + h0) * inW + w0;
          let sum: f64 = 0;
          const g = what == SUM_BACKWARD ? load<f32>(at) : 0;
          for (let jd = 0; jd < cd; jd++) {
            for (let jh = 0; jh < ch; jh++) {
              const row = ((d0 + jd * stepD) * inH + h0 + jh * stepH) * inW + w0;
              for (let jw = 0; jw < cw; jw++) {
                const i = row + jw * stepW;
                const from = input + ((<usize>i) << 2);
                if (what == MAX) {
                  const v = load<f32>(from);
                  if (better(best, v)) {
                    best = v;
                    bestAt = i;
                  }
                } else if (what == SUM) {
                  sum += <f64>load<f32>(from); // in f64, as the reference, one rounding
                } else {
                  store<f32>(from, load<f32>(from) + g);
                }
              }
            }
          }
          if (what == MAX) {
            store<f32>(at, best);
            store<i32>(argmax + (o << 2), bestAt);
          } else if (what == SUM) {
            store<f32>(at, <f32>sum);
          }
        }
      }
    }
  }
}

/** Lanes where `v` replaces `best`, by `better`'s rule. */
function replaces(best: v128, v: v128): v128 {
  return v128.and(f32x4.eq(best, best), v128.or(f32x4.gt(v, best), f32x4.ne(v, v)));
}

/**
 * 2×2 stride-2 max pooling of one plane (outH·outW outputs, rows of `inW` inputs), four outputs
 * at a time: the even and odd lanes of two input rows are the four candidates, taken in window
 * order with the general loop's rule; the row's last outputs one at a time.
 */
function maxPairs(input: usize, inW: i32, outH: i32, outW: i32, out: usize, argmax: usize): void {
  for (let oh = 0; oh < outH; oh++) {
    const base = 2 * oh * inW;
    const top = input + ((<usize>base) << 2);
    const below = top + ((<usize>inW) << 2);
    let ow = 0;
    for (; ow + 4 <= outW; ow += 4) {
      const at = (<usize>(2 * ow)) << 2;
      const a0 = v128.load(top + at);
      const a1 = v128.load(top + at, 16);
      const b0 = v128.load(below + at);
      const b1 = v128.load(below + at, 16);
      const i0 = i32x4(base + 2 * ow, base + 2 * ow + 2, base + 2 * ow + 4, base + 2 * ow + 6);
      let best = i32x4.shuffle(a0, a1, 0, 2, 4, 6);
      let index = i0;
      let v = i32x4.shuffle(a0, a1, 1, 3, 5, 7);
      let m = replaces(best, v);
      best = v128.bitselect(v, best, m);
      index = v128.bitselect(i32x4.add(i0, i32x4.splat(1)), index, m);
      v = i32x4.shuffle(b0, b1, 0, 2, 4, 6);
      m = replaces(best, v);
      best = v128.bitselect(v, best, m);
      index = v128.bitselect(i32x4.add(i0, i32x4.splat(inW)), index, m);
      v = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
      m = replaces(best, v);
      best = v128.bitselect(v, best, m);
      index = v128.bitselect(i32x4.add(i0, i32x4.splat(inW + 1)), index, m);
      const o = (<usize>(oh * outW + ow)) << 2;
      v128.store(out + o, best);
      v128.store(argmax + o, index);
    }
    for (; ow < outW; ow++) {
      let best: f32 = -Infinity;
      let bestAt = base + 2 * ow;
      for (let k = 0; k < 4; k++) {
        const i = base + 2 * ow + (k >> 1) * inW + (k & 1);
        const v = load<f32>(input + ((<usize>i) << 2));
        if (better(best, v)) {
          best = v;
          bestAt = i;
        }
      }
      const o = (<usize>(oh * outW + ow)) << 2;
      store<f32>(out + o, best);
      store<i32>(argmax + o, bestAt);
    }
  }
}
