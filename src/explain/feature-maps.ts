import { noGrad } from '../autograd/grad-mode.js';
import { withFrozenModel } from '../nn/input-gradient.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { findLayer } from './layer.js';

/**
 * The output of the layer called `layer` (a state-dict-style name such as `features.3`) when
 * `model` runs on `input`, in eval mode without gradients: the feature maps [N, C, H, W] of a
 * convolutional layer, or whatever that layer outputs.
 *
 * @example featureMaps(model, images, 'features.2') // [N, 8, 28, 28] after the first ReLU
 */
export function featureMaps(model: Module, input: Tensor, layer: string): Tensor {
  let captured: Tensor | undefined;
  const handle = findLayer(model, layer, 'featureMaps').registerForwardHook((_m, _x, output) => {
    captured = output.detach();
  });
  try {
    withFrozenModel(model, () => noGrad(() => model.forward(input)));
  } finally {
    handle.remove();
  }
  return captured!;
}
