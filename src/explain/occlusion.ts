import { gather } from '../ops/gather.js';
import { unsqueeze } from '../ops/reshape.js';
import type { Module } from '../nn/module.js';
import { tensor, zeros } from '../tensor/create.js';
import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { predict } from '../train/fit.js';
import { resolveTarget, type ClassTarget } from './target.js';

/** Options of `occlusion`. */
export interface OcclusionOptions {
  /** The class explained (default: each sample's predicted class). */
  target?: ClassTarget;
  /** The occluding patch's [height, width], or one number for a square (default ⌈min(H, W)/7⌉). */
  window?: number | readonly [number, number];
  /** How far the patch moves each step (default half the window, at least 1). */
  stride?: number | readonly [number, number];
  /** The value the patch sets every channel to (default 0). */
  baseline?: number;
  /** Occluded images per forward pass (default 64). */
  batchSize?: number;
}

const pair = (v: number | readonly [number, number]): [number, number] =>
  typeof v === 'number' ? [v, v] : [v[0], v[1]];

/**
 * Occlusion sensitivity (Zeiler & Fergus, 2014): a patch of `baseline` slides over each image and
 * every position records how much the target class's score (logit) drops; each pixel gets the
 * mean drop of the positions that cover it (0 if none do), as Captum's `Occlusion`. A region the
 * model ignores scores exactly 0. Costs one forward pass per patch position.
 * Shape: [N, H, W] for input [N, C, H, W].
 *
 * @example occlusion(model, images, { window: 4, stride: 2 }) // [N, 28, 28]
 */
export function occlusion(model: Module, input: Tensor, options: OcclusionOptions = {}): Tensor {
  const op = 'occlusion';
  check(
    input.ndim === 4,
    op,
    () => `input should be images [N, C, H, W], got shape ${fmt(input.shape)}`,
  );
  const [n, c, h, w] = input.shape;
  const [wh, ww] = pair(options.window ?? Math.ceil(Math.min(h, w) / 7));
  const [sh, sw] = pair(options.stride ?? [Math.max(1, wh >> 1), Math.max(1, ww >> 1)]);
  const { baseline = 0, batchSize = 64 } = options;
  check(
    [wh, ww, sh, sw].every((v) => Number.isInteger(v) && v >= 1) && wh <= h && ww <= w,
    op,
    () =>
      `window [${wh},${ww}] and stride [${sh},${sw}] must be positive integers, the window within the image [${h},${w}]`,
  );
  const clean = predict(model, input);
  const target = resolveTarget(clean, options.target, op);
  const cleanScore = gather(clean, 1, unsqueeze(target, 1)).data;
  const positions: [number, number][] = [];
  for (let y = 0; y + wh <= h; y += sh)
    for (let x = 0; x + ww <= w; x += sw) positions.push([y, x]);

  const out = zeros([n, h, w]);
  const counts = new Float32Array(n * h * w);
  const jobs = positions.flatMap((p) => Array.from({ length: n }, (_, i) => [i, ...p] as const));
  const imageSize = c * h * w;
  for (let start = 0; start < jobs.length; start += batchSize) {
    const chunk = jobs.slice(start, start + batchSize);
    const batch = new Float32Array(chunk.length * imageSize);
    chunk.forEach(([i, y, x], k) => {
      batch.set(input.data.subarray(i * imageSize, (i + 1) * imageSize), k * imageSize);
      for (let ch = 0; ch < c; ch++)
        for (let yy = y; yy < y + wh; yy++) {
          const row = k * imageSize + (ch * h + yy) * w;
          batch.fill(baseline, row + x, row + x + ww);
        }
    });
    const scores = predict(model, tensor(batch, { shape: [chunk.length, c, h, w] })).data;
    const classes = scores.length / chunk.length;
    chunk.forEach(([i, y, x], k) => {
      const drop = cleanScore[i] - scores[k * classes + target.data[i]];
      for (let yy = y; yy < y + wh; yy++)
        for (let xx = x; xx < x + ww; xx++) {
          out.data[(i * h + yy) * w + xx] += drop;
          counts[(i * h + yy) * w + xx] += 1;
        }
    });
  }
  out.data.forEach((v, j) => (out.data[j] = counts[j] > 0 ? v / counts[j] : 0));
  return out;
}
