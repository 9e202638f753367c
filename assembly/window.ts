// Pooling windows over independent planes, the kernel interface's windowMax, windowSum and
// windowSumBackward on f32. The caller passes the windows as a compressed list (the reference
// backend's `windowLists`): output o of every plane reads the in-plane positions
// index[ptr[o] .. ptr[o + 1]), in row-major order. Threads take whole planes.
import { arg, ptr, shareStart } from './job';

// Job words: kind, what, planes, inCount, outCount, ptr, index, x (or gout), out (or gin), argmax.
const WHAT = 1;
const PLANES = 2;
const IN_COUNT = 3;
const OUT_COUNT = 4;
const PTR = 5;
const INDEX = 6;
const SRC = 7;
const DST = 8;
const ARGMAX = 9;

const MAX = 0;
const SUM = 1;
const SUM_BACKWARD = 2;

/** Runs this thread's planes of a window job. */
export function window_job(job: usize, thread: i32, threads: i32): void {
  const what = arg(job, WHAT);
  const planes = arg(job, PLANES);
  const inCount = <usize>arg(job, IN_COUNT);
  const outCount = <usize>arg(job, OUT_COUNT);
  const starts = ptr(job, PTR);
  const index = ptr(job, INDEX);
  const first = shareStart(planes, threads, thread, 1);
  const last = shareStart(planes, threads, thread + 1, 1);
  for (let p = first; p < last; p++) {
    const src = ptr(job, SRC) + ((<usize>p * (what == SUM_BACKWARD ? outCount : inCount)) << 2);
    const dst = ptr(job, DST) + ((<usize>p * (what == SUM_BACKWARD ? inCount : outCount)) << 2);
    if (what == SUM_BACKWARD) memory.fill(dst, 0, inCount << 2);
    for (let o: usize = 0; o < outCount; o++) {
      const from = <usize>load<i32>(starts + (o << 2));
      const to = <usize>load<i32>(starts + ((o + 1) << 2));
      if (what == SUM_BACKWARD) {
        const g = load<f32>(src + (o << 2));
        for (let t = from; t < to; t++) {
          const at = dst + ((<usize>load<i32>(index + (t << 2))) << 2);
          store<f32>(at, load<f32>(at) + g);
        }
      } else if (what == SUM) {
        // Summed in f64, as the reference does, so that both round once.
        let s: f64 = 0;
        for (let t = from; t < to; t++) {
          s += <f64>load<f32>(src + ((<usize>load<i32>(index + (t << 2))) << 2));
        }
        store<f32>(dst + (o << 2), <f32>s);
      } else if (what == MAX) {
        // The first maximum in window order; a NaN wins at once.
        let best: f32 = -Infinity;
        let at = load<i32>(index + (from << 2));
        for (let t = from; t < to; t++) {
          const i = load<i32>(index + (t << 2));
          const v = load<f32>(src + ((<usize>i) << 2));
          if (v > best || v != v) {
            best = v;
            at = i;
            if (v != v) break;
          }
        }
        store<f32>(dst + (o << 2), best);
        store<i32>(ptr(job, ARGMAX) + ((<usize>p * outCount + o) << 2), at);
      }
    }
  }
}
