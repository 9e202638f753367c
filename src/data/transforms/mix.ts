import { check, fmt } from '../../tensor/errors.js';
import type { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Batch } from '../dataset.js';

/** Options of mixup and cutmix. */
export interface MixOptions {
  /** Beta(α, α) concentration of the mixing weight λ (default 1: uniform). */
  alpha?: number;
  /** Number of classes, to turn class indices into probability targets. */
  numClasses: number;
}

/**
 * mixup (Zhang et al.): each image and its target are blended with those of another sample of
 * the batch (a random permutation), x = λ·x + (1 − λ)·x', with λ ~ Beta(α, α). Returns the batch
 * with probability targets [N, numClasses], which crossEntropy accepts.
 */
export function mixup(batch: Batch, options: MixOptions, generator: Generator): Batch {
  const { lambda, partner, soft } = mixing(batch, options, generator, 'mixup');
  const x = batch.input;
  const per = x.size / x.shape[0];
  const data = new Float32Array(x.size);
  for (let n = 0; n < x.shape[0]; n++) {
    for (let k = 0; k < per; k++)
      data[n * per + k] =
        lambda * x.data[n * per + k] + (1 - lambda) * x.data[partner[n] * per + k];
  }
  return {
    input: new Tensor(data, x.shape, 'float32'),
    target: blendTargets(soft, partner, lambda),
  };
}

/**
 * CutMix (Yun et al.): a random box of each image [N, C, H, W] is replaced by the same box of
 * another sample; the target weight λ is the share of pixels kept (recomputed from the clipped
 * box). Returns probability targets [N, numClasses].
 */
export function cutmix(batch: Batch, options: MixOptions, generator: Generator): Batch {
  const x = batch.input;
  check(x.ndim === 4, 'cutmix', () => `expected images [N, C, H, W], got shape ${fmt(x.shape)}`);
  const { lambda: drawn, partner, soft } = mixing(batch, options, generator, 'cutmix');
  const [N, C, H, W] = x.shape;
  const cut = Math.sqrt(1 - drawn);
  const [cy, cx] = [generator.integer(0, H), generator.integer(0, W)];
  const [h, w] = [Math.floor(H * cut), Math.floor(W * cut)];
  const [top, bottom] = [Math.max(0, cy - Math.floor(h / 2)), Math.min(H, cy + Math.ceil(h / 2))];
  const [left, right] = [Math.max(0, cx - Math.floor(w / 2)), Math.min(W, cx + Math.ceil(w / 2))];
  const data = Float32Array.from(x.data);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let y = top; y < bottom; y++) {
        const row = ((n * C + c) * H + y) * W;
        const from = ((partner[n] * C + c) * H + y) * W;
        for (let xx = left; xx < right; xx++) data[row + xx] = x.data[from + xx];
      }
    }
  }
  const lambda = 1 - ((bottom - top) * (right - left)) / (H * W);
  return {
    input: new Tensor(data, x.shape, 'float32'),
    target: blendTargets(soft, partner, lambda),
  };
}

/** λ, a random partner for each sample, and the targets as probabilities. */
function mixing(batch: Batch, { alpha = 1, numClasses }: MixOptions, g: Generator, op: string) {
  check(alpha > 0, op, () => `alpha must be positive, got ${alpha}`);
  const n = batch.input.shape[0];
  const partner = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [partner[i], partner[j]] = [partner[j], partner[i]];
  }
  return { lambda: beta(alpha, g), partner, soft: probabilities(batch.target, numClasses, op) };
}

/** Class indices [N] → one-hot [N, C]; probability targets [N, C] pass through. */
function probabilities(target: Tensor, numClasses: number, op: string): Tensor {
  if (target.ndim === 2) {
    check(
      target.shape[1] === numClasses,
      op,
      () => `targets have ${target.shape[1]} classes, expected ${numClasses}`,
    );
    return target;
  }
  check(
    target.ndim === 1,
    op,
    () => `expected class indices [N] or probabilities [N, C], got shape ${fmt(target.shape)}`,
  );
  const data = new Float32Array(target.size * numClasses);
  target.data.forEach((y, i) => {
    check(y >= 0 && y < numClasses, op, () => `class ${y} is outside 0..${numClasses - 1}`);
    data[i * numClasses + y] = 1;
  });
  return new Tensor(data, [target.size, numClasses], 'float32');
}

function blendTargets(soft: Tensor, partner: number[], lambda: number): Tensor {
  const c = soft.shape[1];
  const data = Float32Array.from(soft.data, (v, k) => {
    const [n, j] = [Math.floor(k / c), k % c];
    return lambda * v + (1 - lambda) * soft.data[partner[n] * c + j];
  });
  return new Tensor(data, soft.shape, 'float32');
}

/** A Beta(α, α) sample, as X / (X + Y) with X, Y ~ Gamma(α). */
function beta(alpha: number, g: Generator): number {
  const x = gamma(alpha, g);
  const y = gamma(alpha, g);
  return x / (x + y);
}

/** A Gamma(α, 1) sample: Marsaglia–Tsang for α ≥ 1, boosted by U^(1/α) below. */
function gamma(alpha: number, g: Generator): number {
  if (alpha < 1) return gamma(alpha + 1, g) * Math.pow(g.uniform() || Number.MIN_VALUE, 1 / alpha);
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = g.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = g.uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}
