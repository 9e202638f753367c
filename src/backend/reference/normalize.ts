import type { ChannelDims } from '../backend.js';
import type { TypedArray } from '../dtype.js';

// x is viewed as [outer, channels, inner]; each channel's statistics run over outer × inner.
// Sums are taken in float64 and the variance from centred values (two passes), so a channel
// with a large mean keeps its precision.

/** Calls `visit(start)` for each run of `inner` elements of channel c. */
function forEachRun(d: ChannelDims, c: number, visit: (start: number) => void): void {
  for (let o = 0; o < d.outer; o++) visit((o * d.channels + c) * d.inner);
}

/**
 * The kernel interface's `normalize`: per channel, mean and biased variance, and
 * xhat = (x − mean) / √(variance + eps).
 */
export function normalize(
  x: TypedArray,
  d: ChannelDims,
  eps: number,
  xhat: TypedArray,
  mean: TypedArray,
  variance: TypedArray,
): void {
  const count = d.outer * d.inner;
  for (let c = 0; c < d.channels; c++) {
    let sum = 0;
    forEachRun(d, c, (s) => {
      for (let i = s; i < s + d.inner; i++) sum += x[i];
    });
    const m = sum / count;
    let squares = 0;
    forEachRun(d, c, (s) => {
      for (let i = s; i < s + d.inner; i++) squares += (x[i] - m) * (x[i] - m);
    });
    const v = squares / count;
    const invStd = 1 / Math.sqrt(v + eps);
    forEachRun(d, c, (s) => {
      for (let i = s; i < s + d.inner; i++) xhat[i] = (x[i] - m) * invStd;
    });
    mean[c] = m;
    variance[c] = v;
  }
}

/**
 * The kernel interface's `normalizeBackward`: the gradient of xhat with respect to x, per
 * channel dx = invStd · (g − mean(g) − xhat · mean(g · xhat)).
 */
export function normalizeBackward(
  g: TypedArray,
  xhat: TypedArray,
  invStd: TypedArray,
  d: ChannelDims,
  dx: TypedArray,
): void {
  const count = d.outer * d.inner;
  for (let c = 0; c < d.channels; c++) {
    let sumG = 0;
    let sumGX = 0;
    forEachRun(d, c, (s) => {
      for (let i = s; i < s + d.inner; i++) {
        sumG += g[i];
        sumGX += g[i] * xhat[i];
      }
    });
    const [meanG, meanGX, scale] = [sumG / count, sumGX / count, invStd[c]];
    forEachRun(d, c, (s) => {
      for (let i = s; i < s + d.inner; i++) dx[i] = scale * (g[i] - meanG - xhat[i] * meanGX);
    });
  }
}
