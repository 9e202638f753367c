import { noGrad } from '../autograd/grad-mode.js';
import { abs as absolute } from '../ops/unary.js';
import { inputGradient } from '../nn/input-gradient.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { resolveTarget, targetScore, type ClassTarget } from './target.js';

/** Options of `saliency`. */
export interface SaliencyOptions {
  /** The class explained (default: each sample's predicted class). */
  target?: ClassTarget;
  /** Return |gradient| (default true, as Captum's `Saliency`); false keeps the sign. */
  abs?: boolean;
}

/**
 * Vanilla saliency (Simonyan et al., 2014): the gradient of the target class's score (logit) with
 * respect to each input pixel, in eval mode, absolute by default. To draw one map per image,
 * take the maximum over channels (`explainImages` does). Shape: the input's, [N, C, H, W].
 *
 * @example const map = saliency(model, images, { target: labels }); // [N, 1, 28, 28]
 */
export function saliency(model: Module, input: Tensor, options: SaliencyOptions = {}): Tensor {
  const { gradient } = inputGradient(model, input, (output) =>
    targetScore(output, resolveTarget(output, options.target, 'saliency')),
  );
  return (options.abs ?? true) ? noGrad(() => absolute(gradient)) : gradient;
}
