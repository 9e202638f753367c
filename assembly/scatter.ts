// Scatter-add along the middle axis of [outer, size, inner]: the backward pass of max pooling
// (one argmax per pooled value, inner = 1) and of gather.
import { arg, ptr, shareStart } from './job';

/**
 * out[o, index[o, j, i], i] += src[o, j, i] for the job's [outer, count, inner] source (words:
 * kind, outer, size, count, inner, src, index, out). Each thread takes whole slices o, whose
 * writes fall in their own part of out, so no two threads add into one element.
 */
export function f32_scatter_add_job(job: usize, thread: i32, threads: i32): void {
  const outer = arg(job, 1);
  const size = arg(job, 2);
  const count = arg(job, 3);
  const inner = arg(job, 4);
  const src = ptr(job, 5);
  const index = ptr(job, 6);
  const out = ptr(job, 7);
  const first = shareStart(outer, threads, thread, 1);
  const last = shareStart(outer, threads, thread + 1, 1);
  for (let o = first; o < last; o++) {
    const base = out + ((<usize>o * <usize>size * <usize>inner) << 2);
    for (let j = 0; j < count; j++) {
      const t = (<usize>o * <usize>count + <usize>j) * <usize>inner;
      for (let i = 0; i < inner; i++) {
        const from = (t + <usize>i) << 2;
        const to = base + ((<usize>load<i32>(index + from) * <usize>inner + <usize>i) << 2);
        store<f32>(to, load<f32>(to) + load<f32>(src + from));
      }
    }
  }
}
