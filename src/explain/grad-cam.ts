import { noGrad } from '../autograd/grad-mode.js';
import { mean } from '../ops/reduce.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { layerGradient, outputSize, weightedMap, type CamOptions } from './cam.js';

/**
 * Grad-CAM (Selvaraju et al., 2017): where in the image the evidence for a class lies, as seen by
 * one convolutional layer. Each feature map of `options.layer` is weighted by the spatial mean
 * of the class score's gradient on it; the weighted sum, through a ReLU, is the map.
 * Shape: [N, H, W] for input [N, C, H, W] (or the layer's [N, h, w] with `upsample: false`);
 * values are not normalised (0 where there is no positive evidence).
 *
 * @example
 * const heat = gradCam(model, images, { layer: 'features.6' }); // [N, 28, 28], predicted classes
 */
export function gradCam(model: Module, input: Tensor, options: CamOptions): Tensor {
  const { activation, gradient } = layerGradient(model, input, options, 'gradCam');
  const weights = noGrad(() => mean(gradient, [2, 3]));
  return weightedMap(activation, weights, outputSize(input, options));
}
