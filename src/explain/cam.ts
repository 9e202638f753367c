import { noGrad } from '../autograd/grad-mode.js';
import { relu } from '../ops/activation.js';
import { mul } from '../ops/arithmetic.js';
import { interpolate } from '../ops/interpolate.js';
import { sum } from '../ops/reduce.js';
import { reshape, squeeze } from '../ops/reshape.js';
import { withFrozenModel } from '../nn/input-gradient.js';
import type { Module } from '../nn/module.js';
import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { findLayer } from './layer.js';
import { resolveTarget, targetScore, type ClassTarget } from './target.js';

/** Options of the class activation maps, `gradCam` and `gradCamPlusPlus`. */
export interface CamOptions {
  /** The layer whose feature maps are weighted (state-dict name, e.g. `features.6`). */
  layer: string;
  /** The class explained (default: each sample's predicted class). */
  target?: ClassTarget;
  /** Resize the map to the input's height and width, bilinearly (default true). */
  upsample?: boolean;
}

/** A layer's feature maps A [N, C, h, w] and the gradient of the target classes' score on them. */
export interface LayerGradient {
  activation: Tensor;
  gradient: Tensor;
}

/**
 * Runs `model` on `input` and back-propagates the target classes' scores (logits) to the output
 * of `layer`, which must be a feature map [N, C, h, w]. The graph is cut at that layer, so
 * nothing below it is differentiated, and the parameters' gradients are left alone.
 */
export function layerGradient(
  model: Module,
  input: Tensor,
  options: CamOptions,
  op: string,
): LayerGradient {
  let activation: Tensor | undefined;
  const handle = findLayer(model, options.layer, op).registerForwardHook((_m, _x, output) => {
    activation = output.detach().requireGrad();
    return activation;
  });
  try {
    withFrozenModel(model, () => {
      const output = model.forward(input.detach());
      targetScore(output, resolveTarget(output, options.target, op)).backward();
    });
  } finally {
    handle.remove();
  }
  check(
    activation!.ndim === 4,
    op,
    () =>
      `layer '${options.layer}' outputs shape ${fmt(activation!.shape)}, not a feature map [N, C, H, W]; pick a convolutional layer`,
  );
  return { activation: activation!, gradient: activation!.grad! };
}

/**
 * The class activation map relu(Σ_c weights[n, c] · A[n, c]) [N, h, w] of feature maps
 * `activation` [N, C, h, w], resized to `size` [H, W] bilinearly when given.
 */
export function weightedMap(
  activation: Tensor,
  weights: Tensor,
  size: readonly number[] | undefined,
): Tensor {
  return noGrad(() => {
    const [n, c] = activation.shape;
    const map = relu(sum(mul(activation, reshape(weights, [n, c, 1, 1])), 1, true));
    const resized = size ? interpolate(map, { size, mode: 'bilinear' }) : map;
    return squeeze(resized, 1);
  });
}

/** The input's [H, W] when the map should be resized to it. */
export function outputSize(input: Tensor, options: CamOptions): readonly number[] | undefined {
  return (options.upsample ?? true) ? input.shape.slice(2) : undefined;
}
