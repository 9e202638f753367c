import { noGrad } from '../autograd/grad-mode.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { max, min } from '../ops/reduce.js';
import type { Module } from '../nn/module.js';
import { randn } from '../tensor/create.js';
import { check } from '../tensor/errors.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { predict } from '../train/fit.js';
import { saliency, type SaliencyOptions } from './saliency.js';
import { resolveTarget } from './target.js';

/** Options of `smoothGrad`. */
export interface SmoothGradOptions extends SaliencyOptions {
  /** Noisy copies averaged (default 25). */
  samples?: number;
  /** Noise std as a fraction of each input's value range, max − min (default 0.15). */
  noise?: number;
  /** Draws the noise (default: the default generator). */
  generator?: Generator;
}

/**
 * SmoothGrad (Smilkov et al., 2017): the mean of `saliency` over `samples` copies of the input
 * with Gaussian noise added (std = noise · (max − min) of each input), which removes much of
 * vanilla saliency's speckle. The target defaults to the class predicted for the clean input.
 * One sample with zero noise is exactly `saliency`. Shape: the input's, [N, C, H, W].
 *
 * @example smoothGrad(model, images, { samples: 50, noise: 0.1 }) // [N, 1, 28, 28]
 */
export function smoothGrad(model: Module, input: Tensor, options: SmoothGradOptions = {}): Tensor {
  const { samples = 25, noise = 0.15, generator = defaultGenerator } = options;
  check(
    Number.isInteger(samples) && samples >= 1,
    'smoothGrad',
    () => `samples must be a positive integer, got ${samples}`,
  );
  check(noise >= 0, 'smoothGrad', () => `noise must be ≥ 0, got ${noise}`);
  const target = resolveTarget(predict(model, input), options.target, 'smoothGrad');
  const perSample = input.shape.map((_, i) => i).slice(1);
  const range = noGrad(() => sub(max(input, perSample, true), min(input, perSample, true)));
  const sigma = noGrad(() => mul(range, noise));
  let total: Tensor | undefined;
  for (let s = 0; s < samples; s++) {
    const noisy = noGrad(() => add(input, mul(randn(input.shape, { generator }), sigma)));
    const map = saliency(model, noisy, { ...options, target });
    total = total ? noGrad(() => add(total!, map)) : map;
  }
  return noGrad(() => div(total!, samples));
}
