import type { Module } from '../nn/module.js';
import { FoveaError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The filters of the model's first convolution: the weight [outC, inC, kH, kW] of the first
 * module (in state-dict order) holding a 4-D `weight`, as a copy, with its layer name. These are
 * the only filters that read pixels directly, so they are the ones worth looking at.
 *
 * @example firstLayerFilters(createModel('fashion_cnn')) // { layer: 'features.0', weight: [32, 1, 3, 3] }
 */
export function firstLayerFilters(model: Module): { layer: string; weight: Tensor } {
  for (const [name, m] of model.namedModules()) {
    const weight = (m as unknown as { weight?: unknown }).weight;
    if (weight instanceof Tensor && weight.ndim === 4)
      return { layer: name, weight: weight.clone() };
  }
  throw new FoveaError(
    'firstLayerFilters',
    'the model has no layer with a 4-D weight [outC, inC, kH, kW] (no Conv2d)',
  );
}
