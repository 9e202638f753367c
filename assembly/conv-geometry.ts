// The words of a convolution job and the sliding-window copies between an image and its columns.
// Every convolution is seen as 3-D (D, H, W): 1-D and 2-D ones come with leading sizes of 1.
import { arg } from './job';

/** Job words: kind, then the geometry below, then three pointers and the column buffer size. */
export const N = 1;
export const C = 2;
export const COUT = 3;
export const GROUPS = 4;
export const IN_D = 5;
export const IN_H = 6;
export const IN_W = 7;
export const OUT_D = 8;
export const OUT_H = 9;
export const OUT_W = 10;
export const K_D = 11;
export const K_H = 12;
export const K_W = 13;
export const S_D = 14;
export const S_H = 15;
export const S_W = 16;
export const P_D = 17;
export const P_H = 18;
export const P_W = 19;
export const D_D = 20;
export const D_H = 21;
export const D_W = 22;
/** The three operands, in the order the job's kernel names them. */
export const PTR0 = 23;
export const PTR1 = 24;
export const PTR2 = 25;
/** Bytes of each thread's column buffer (after its GEMM scratch). */
export const COLS_BYTES = 26;
export const CONV_WORDS = 27;

/** Elements of one input plane (D·H·W). */
export function inPlane(job: usize): i32 {
  return arg(job, IN_D) * arg(job, IN_H) * arg(job, IN_W);
}

/** Elements of one output plane, the positions of the columns. */
export function outPlane(job: usize): i32 {
  return arg(job, OUT_D) * arg(job, OUT_H) * arg(job, OUT_W);
}

/** Taps of the kernel (kD·kH·kW). */
export function taps(job: usize): i32 {
  return arg(job, K_D) * arg(job, K_H) * arg(job, K_W);
}

/** Whether the columns are the input itself: 1×1×1 kernel, stride 1, no padding. */
export function isPointwise(job: usize): bool {
  return (
    taps(job) == 1 &&
    arg(job, S_D) == 1 &&
    arg(job, S_H) == 1 &&
    arg(job, S_W) == 1 &&
    arg(job, P_D) == 0 &&
    arg(job, P_H) == 0 &&
    arg(job, P_W) == 0
  );
}

/** Zeroes `bytes` bytes at dst. */
function zero(dst: usize, bytes: i32): void {
  if (bytes > 0) memory.fill(dst, 0, <usize>bytes);
}

/** dst[i] += src[i] for i < count, four lanes at a time. */
export function addTo(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
  }
  for (; i < count; i++) {
    const at = (<usize>i) << 2;
    store<f32>(dst + at, load<f32>(dst + at) + load<f32>(src + at));
  }
}

/**
 * Between `channels` input planes starting at `image` and the rows of their columns
 * [channels·taps, count] (row stride `ld` elements) for output positions first .. first+count:
 * gathers the windows into `cols` (scatter = false) or adds the columns back into the image
 * (scatter = true, the adjoint). Row r = (c, kd, kh, kw) as a weight [.., C, kD, kH, kW] is laid
 * out; positions outside the image read zero (and take nothing back). Elements are f32, or i16
 * when `shift` (log2 of the element bytes) is 1 — the int8 conv's centred inputs (gather only).
 */
export function slide(
  job: usize,
  image: usize,
  channels: i32,
  first: i32,
  count: i32,
  cols: usize,
  ld: i32,
  scatter: bool,
  shift: i32 = 2,
): void {
  const inD = arg(job, IN_D);
  const inH = arg(job, IN_H);
  const inW = arg(job, IN_W);
  const outH = arg(job, OUT_H);
  const outW = arg(job, OUT_W);
  const kD = arg(job, K_D);
  const kH = arg(job, K_H);
  const kW = arg(job, K_W);
  const sD = arg(job, S_D);
  const sH = arg(job, S_H);
  const sW = arg(job, S_W);
  const plane = (<usize>inPlane(job)) << shift;
  let row = cols;
  for (let c = 0; c < channels; c++) {
    const src = image + <usize>c * plane;
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++) {
          const padW = kw * arg(job, D_W) - arg(job, P_W);
          let j = first;
          let d = row;
          const end = first + count;
          while (j < end) {
            const ow = j % outW;
            const t = j / outW;
            const oh = t % outH;
            const od = t / outH;
            const run = min(outW - ow, end - j);
            const id = od * sD - arg(job, P_D) + kd * arg(job, D_D);
            const ih = oh * sH - arg(job, P_H) + kh * arg(job, D_H);
            if (id >= 0 && id < inD && ih >= 0 && ih < inH) {
              const line = src + ((<usize>(id * inH + ih) * inW) << shift);
              const iw0 = ow * sW + padW;
              if (sW == 1) {
                const lo = min(run, max(0, -iw0));
                const hi = max(lo, min(run, inW - iw0));
                if (scatter) {
                  addTo(line + ((<usize>(iw0 + lo)) << 2), d + ((<usize>lo) << 2), hi - lo);
                } else {
                  zero(d, lo << shift);
                  memory.copy(
                    d + ((<usize>lo) << shift),
                    line + ((<usize>(iw0 + lo)) << shift),
                    (<usize>(hi - lo)) << shift,
                  );
                  zero(d + ((<usize>hi) << shift), (run - hi) << shift);
                }
              } else {
                for (let r = 0; r < run; r++) {
                  const iw = iw0 + r * sW;
                  const inside = iw >= 0 && iw < inW;
                  const at = d + ((<usize>r) << shift);
                  const from = line + ((<usize>iw) << shift);
                  if (scatter) {
                    if (inside) store<f32>(from, load<f32>(from) + load<f32>(at));
                  } else if (shift == 2) {
                    store<f32>(at, inside ? load<f32>(from) : 0);
                  } else {
                    store<i16>(at, inside ? load<i16>(from) : 0);
                  }
                }
              }
            } else if (!scatter) {
              zero(d, run << shift);
            }
            d += (<usize>run) << shift;
            j += run;
          }
          row += (<usize>ld) << shift;
        }
      }
    }
  }
}
