import { noGrad } from '../autograd/grad-mode.js';
import { relu } from '../ops/activation.js';
import { add, div, mul } from '../ops/arithmetic.js';
import { eq, where } from '../ops/compare.js';
import { sum } from '../ops/reduce.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { layerGradient, outputSize, weightedMap, type CamOptions } from './cam.js';

/**
 * Grad-CAM++ (Chattopadhyay et al., 2018): Grad-CAM with each feature map weighted by
 * Σ_ij α_ij · relu(g_ij), where α = g² / (2g² + Σ_ij A_ij · g³) (0 where that is 0/0) and g is the
 * class score's gradient on the feature maps A, which credits every region of evidence rather
 * than the largest one. Same options and shape as `gradCam`.
 *
 * @example gradCamPlusPlus(model, images, { layer: 'features.6', target: 3 }) // [N, 28, 28]
 */
export function gradCamPlusPlus(model: Module, input: Tensor, options: CamOptions): Tensor {
  const { activation, gradient } = layerGradient(model, input, options, 'gradCamPlusPlus');
  const weights = noGrad(() => {
    const g2 = mul(gradient, gradient);
    const g3 = mul(g2, gradient);
    const denominator = add(mul(g2, 2), mul(sum(activation, [2, 3], true), g3));
    const alpha = div(g2, where(eq(denominator, 0), 1, denominator));
    return sum(mul(alpha, relu(gradient)), [2, 3]);
  });
  return weightedMap(activation, weights, outputSize(input, options));
}
