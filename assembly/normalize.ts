// The norm layers' core on f32: per channel of x viewed as [outer, channels, inner], statistics
// over outer × inner and xhat = (x − mean)·invStd, and its adjoint. Sums run in f64 in the same
// order as the reference kernel, and every result is formed in f64 and rounded once, so both
// backends agree bit for bit. Threads take whole channels.
import { arg, ptr, shareStart } from './job';

// Job words: kind, what, outer, channels, inner, eps (an f64 in two words), then four addresses:
// forward: x, xhat, mean, variance; backward: g, xhat, invStd, dx.
const WHAT = 1;
const OUTER = 2;
const CHANNELS = 3;
const INNER = 4;
const EPS = 5;
const P0 = 7;
const P1 = 8;
const P2 = 9;
const P3 = 10;

const FORWARD = 0;

/** Runs this thread's channels of a normalize job. */
export function normalize_job(job: usize, thread: i32, threads: i32): void {
  const outer = arg(job, OUTER);
  const channels = arg(job, CHANNELS);
  const inner = arg(job, INNER);
  const count = <f64>outer * <f64>inner;
  const first = shareStart(channels, threads, thread, 1);
  const last = shareStart(channels, threads, thread + 1, 1);
  const forward = arg(job, WHAT) == FORWARD;
  for (let c = first; c < last; c++) {
    // Byte offset of run o of channel c: ((o·channels + c)·inner)·4.
    if (forward) {
      const x = ptr(job, P0);
      const xhat = ptr(job, P1);
      let sum: f64 = 0;
      for (let o = 0; o < outer; o++) {
        const run = (<usize>((o * channels + c) * inner)) << 2;
        for (let i = 0; i < inner; i++) sum += <f64>load<f32>(x + run + ((<usize>i) << 2));
      }
      const m = sum / count;
      let squares: f64 = 0;
      for (let o = 0; o < outer; o++) {
        const run = (<usize>((o * channels + c) * inner)) << 2;
        for (let i = 0; i < inner; i++) {
          const d = <f64>load<f32>(x + run + ((<usize>i) << 2)) - m;
          squares += d * d;
        }
      }
      const v = squares / count;
      const invStd = 1 / Math.sqrt(v + load<f64>(job + ((<usize>EPS) << 2)));
      for (let o = 0; o < outer; o++) {
        const run = (<usize>((o * channels + c) * inner)) << 2;
        for (let i = 0; i < inner; i++) {
          const at = run + ((<usize>i) << 2);
          store<f32>(xhat + at, <f32>((<f64>load<f32>(x + at) - m) * invStd));
        }
      }
      store<f32>(ptr(job, P2) + ((<usize>c) << 2), <f32>m);
      store<f32>(ptr(job, P3) + ((<usize>c) << 2), <f32>v);
    } else {
      const g = ptr(job, P0);
      const xhat = ptr(job, P1);
      const dx = ptr(job, P3);
      let sumG: f64 = 0;
      let sumGX: f64 = 0;
      for (let o = 0; o < outer; o++) {
        const run = (<usize>((o * channels + c) * inner)) << 2;
        for (let i = 0; i < inner; i++) {
          const at = run + ((<usize>i) << 2);
          const gi = <f64>load<f32>(g + at);
          sumG += gi;
          sumGX += gi * <f64>load<f32>(xhat + at);
        }
      }
      const meanG = sumG / count;
      const meanGX = sumGX / count;
      const scale = <f64>load<f32>(ptr(job, P2) + ((<usize>c) << 2));
      for (let o = 0; o < outer; o++) {
        const run = (<usize>((o * channels + c) * inner)) << 2;
        for (let i = 0; i < inner; i++) {
          const at = run + ((<usize>i) << 2);
          const value =
            scale * (<f64>load<f32>(g + at) - meanG - <f64>load<f32>(xhat + at) * meanGX);
          store<f32>(dx + at, <f32>value);
        }
      }
    }
  }
}
