// Direct convolution for one input channel per group (depthwise, with any channel multiplier):
// each output plane is a weighted sum of shifted rows of one input plane, so there is nothing
// for a GEMM to share. Along W with stride 1 the shifted rows are contiguous: four lanes at a time.
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

/** dst[i] += a · src[i] for i < count. */
function axpy(dst: usize, src: usize, a: f32, count: i32): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = (<usize>i) << 2;
    v128.store(dst + at, f32x4.add(v128.load(dst + at), f32x4.mul(va, v128.load(src + at))));
  }
  for (; i < count; i++) {
    const at = (<usize>i) << 2;
    store<f32>(dst + at, load<f32>(dst + at) + a * load<f32>(src + at));
  }
}

/** Σ a[i] · b[i] for i < count. */
function dot(a: usize, b: usize, count: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = (<usize>i) << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + at), v128.load(b + at)));
  }
  let sum =
    f32x4.extract_lane(acc, 0) +
    f32x4.extract_lane(acc, 1) +
    f32x4.extract_lane(acc, 2) +
    f32x4.extract_lane(acc, 3);
  for (; i < count; i++) sum += load<f32>(a + ((<usize>i) << 2)) * load<f32>(b + ((<usize>i) << 2));
  return sum;
}

/** What a depthwise kernel does with one output row, one input row and one tap. */
const FORWARD = 0; // out row += w · shifted input row
const ADJOINT = 1; // input-gradient row (shifted) += w · output-gradient row
const WEIGHT = 2; // w += ⟨output-gradient row, shifted input row⟩

/**
 * Runs `mode` over every (output row, tap) pair of one plane: `image` is the input plane (or
 * its gradient), `plane` the output plane (or its gradient), `w` the plane's kD·kH·kW taps.
 */
function sweep(job: usize, mode: i32, image: usize, plane: usize, w: usize): void {
  const inD = arg(job, IN_D);
  const inH = arg(job, IN_H);
  const inW = arg(job, IN_W);
  const outD = arg(job, OUT_D);
  const outH = arg(job, OUT_H);
  const outW = arg(job, OUT_W);
  const kD = arg(job, K_D);
  const kH = arg(job, K_H);
  const kW = arg(job, K_W);
  const sW = arg(job, S_W);
  for (let od = 0; od < outD; od++) {
    for (let oh = 0; oh < outH; oh++) {
      const row = plane + ((<usize>((od * outH + oh) * outW)) << 2);
      if (mode == FORWARD) memory.fill(row, 0, (<usize>outW) << 2);
      for (let kd = 0; kd < kD; kd++) {
        const id = od * arg(job, S_D) - arg(job, P_D) + kd * arg(job, D_D);
        if (id < 0 || id >= inD) continue;
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * arg(job, S_H) - arg(job, P_H) + kh * arg(job, D_H);
          if (ih < 0 || ih >= inH) continue;
          const line = image + ((<usize>((id * inH + ih) * inW)) << 2);
          for (let kw = 0; kw < kW; kw++) {
            const tap = w + ((<usize>((kd * kH + kh) * kW + kw)) << 2);
            const iw0 = kw * arg(job, D_W) - arg(job, P_W);
            // Outputs lo .. hi read inputs inside the row: 0 ≤ ow·sW + iw0 < inW.
            const lo = min(outW, iw0 >= 0 ? 0 : (sW - 1 - iw0) / sW);
            const hi = max(lo, min(outW, inW - iw0 > 0 ? (inW - iw0 + sW - 1) / sW : 0));
            if (sW == 1) {
              const o = row + ((<usize>lo) << 2);
              const i = line + ((<usize>(iw0 + lo)) << 2);
              if (mode == FORWARD) axpy(o, i, load<f32>(tap), hi - lo);
              else if (mode == ADJOINT) axpy(i, o, load<f32>(tap), hi - lo);
              else store<f32>(tap, load<f32>(tap) + dot(o, i, hi - lo));
            } else {
              let sum: f32 = 0;
              const wv = load<f32>(tap);
              for (let ow = lo; ow < hi; ow++) {
                const o = row + ((<usize>ow) << 2);
                const i = line + ((<usize>(ow * sW + iw0)) << 2);
                if (mode == FORWARD) store<f32>(o, load<f32>(o) + wv * load<f32>(i));
                else if (mode == ADJOINT) store<f32>(i, load<f32>(i) + wv * load<f32>(o));
                else sum += load<f32>(o) * load<f32>(i);
              }
              if (mode == WEIGHT) store<f32>(tap, load<f32>(tap) + sum);
            }
          }
        }
      }
    }
  }
}

/** out plane = depthwise correlation of the input plane with the taps at `w`. */
export function dwForward(job: usize, input: usize, w: usize, out: usize): void {
  sweep(job, FORWARD, input, out, w);
}

/** Adds the input gradient of one output plane's gradient `gout` into `gin`. */
export function dwAdjoint(job: usize, gout: usize, w: usize, gin: usize): void {
  sweep(job, ADJOINT, gin, gout, w);
}

/** Adds the weight gradient of one (input plane, output-gradient plane) pair into the taps `gw`. */
export function dwWeight(job: usize, input: usize, gout: usize, gw: usize): void {
  sweep(job, WEIGHT, input, gout, gw);
}
