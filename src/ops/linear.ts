import type { FusedActivation } from '../backend/fused-activation.js';
import { check, fmt } from '../tensor/errors.js';
import { numel } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkActivation } from './fused-activation.js';
import { linearProduct } from './matmul.js';
import { reshape } from './reshape.js';
import { checkFloat } from './util.js';
import { traced } from './trace.js';

/** The input-features error, with a flatten hint for image-shaped input [N, C, H, W]. */
function featuresMessage(x: Tensor, weight: Tensor): string {
  const [outFeatures, inFeatures] = weight.shape;
  const features = x.shape[x.ndim - 1];
  const base = `input has ${features} features (last dim of ${fmt(x.shape)}) but weight expects ${inFeatures} (weight shape ${fmt(weight.shape)})`;
  if (x.ndim === 2) {
    return `${base}; if the input comes from a Flatten, the layer needs inFeatures = ${features}: Linear(${features}, ${outFeatures})`;
  }
  if (x.ndim !== 4) return base;
  const perSample = numel(x.shape.slice(1));
  const fix =
    perSample === inFeatures
      ? `flatten(x, 1) gives [${x.shape[0]}, ${perSample}], which fits this weight`
      : `flatten(x, 1) gives ${perSample} features (${x.shape.slice(1).join('·')}), so the layer would need weight [${outFeatures}, ${perSample}] (inFeatures = ${perSample})`;
  return `${base}; did you forget flatten? ${fix}`;
}

/** Options of `linear`. */
export interface LinearOptions {
  /**
   * An activation applied as the output is written, as Keras's `Dense(128, activation='relu')`:
   * 'relu' or 'relu6'. The same values and gradients as `relu(linear(x, w, b))`, one pass fewer.
   */
  activation?: FusedActivation;
}

/**
 * x·weightᵀ + bias over the last dim of x, as `F.linear`: x [..., inFeatures], weight
 * [outFeatures, inFeatures], bias [outFeatures]; then the `activation` if given. The bias and
 * activation are applied by the product's kernel as it writes each block. Shape: [..., outFeatures].
 *
 * @example linear(randn([32, 784]), randn([10, 784]), zeros([10])) // [32, 10]
 * @example linear(x, w, b, { activation: 'relu' }) // relu(linear(x, w, b)) in one kernel
 */
export function linear(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: LinearOptions = {},
): Tensor {
  const { activation } = options;
  checkActivation('linear', activation);
  checkFloat(x, 'linear');
  checkFloat(weight, 'linear', 'weight');
  check(
    weight.ndim === 2,
    'linear',
    () => `weight must be 2-D [outFeatures, inFeatures], got shape ${fmt(weight.shape)}`,
  );
  check(x.ndim >= 1, 'linear', () => 'input must have at least 1 dimension, got a 0-d tensor');
  check(x.shape[x.ndim - 1] === weight.shape[1], 'linear', () => featuresMessage(x, weight));
  check(
    x.dtype === weight.dtype,
    'linear',
    () => `input is ${x.dtype} but weight is ${weight.dtype}; convert one with .to('float32')`,
  );
  if (bias) {
    check(
      bias.ndim === 1 && bias.shape[0] === weight.shape[0] && bias.dtype === x.dtype,
      'linear',
      () =>
        `bias must be a ${x.dtype} tensor of shape [${weight.shape[0]}] (one value per output feature), got ${bias.dtype} ${fmt(bias.shape)}`,
    );
  }
  // As a 2-D product [rows, inFeatures]·weightᵀ, then back to x's leading dims.
  const [outFeatures, inFeatures] = weight.shape;
  const lead = x.shape.slice(0, -1);
  const product = linearProduct(reshape(x, [numel(lead), inFeatures]), weight, bias, activation);
  const out = reshape(product, [...lead, outFeatures]);
  return traced('linear', out, [x, weight, bias], { ...(activation && { activation }) });
}
