import { noGrad } from '../autograd/grad-mode.js';
import { max } from '../ops/reduce.js';
import type { Module } from '../nn/module.js';
import { FoveaError } from '../tensor/errors.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { gradCamPlusPlus } from './grad-cam-pp.js';
import { gradCam } from './grad-cam.js';
import { lastSpatialLayer } from './layer.js';
import { occlusion } from './occlusion.js';
import { saliency } from './saliency.js';
import { smoothGrad } from './smooth-grad.js';
import type { ClassTarget } from './target.js';

/** The attribution methods `attributionMap` (and `fovea explain --method`) knows. */
export const EXPLAIN_METHODS = [
  'gradcam',
  'gradcampp',
  'saliency',
  'smoothgrad',
  'occlusion',
] as const;

/** One of EXPLAIN_METHODS. */
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];

/** Options of `attributionMap`. */
export interface AttributionMapOptions {
  method: ExplainMethod;
  /** Grad-CAM(++) layer (default: the last layer that outputs a feature map). */
  layer?: string;
  /** The class explained (default: each sample's predicted class). */
  target?: ClassTarget;
  /** SmoothGrad's noise generator. */
  generator?: Generator;
}

/** The largest value over channels: one map [N, H, W] from gradients [N, C, H, W]. */
const channelMax = (gradients: Tensor) => noGrad(() => max(gradients, 1));

/**
 * One map [N, H, W] per image of `input` [N, C, H, W] by any method, with each method's
 * defaults: Grad-CAM and Grad-CAM++ upsampled to the input, saliency and SmoothGrad as the
 * maximum |gradient| over channels, occlusion as is. What `fovea explain` draws.
 *
 * @example attributionMap(model, images, { method: 'smoothgrad' }) // [N, 28, 28]
 */
export function attributionMap(
  model: Module,
  input: Tensor,
  options: AttributionMapOptions,
): Tensor {
  const { method, target } = options;
  switch (method) {
    case 'gradcam':
    case 'gradcampp': {
      const layer = options.layer ?? lastSpatialLayer(model, input, 'attributionMap');
      return (method === 'gradcam' ? gradCam : gradCamPlusPlus)(model, input, { layer, target });
    }
    case 'saliency':
      return channelMax(saliency(model, input, { target }));
    case 'smoothgrad':
      return channelMax(smoothGrad(model, input, { target, generator: options.generator }));
    case 'occlusion':
      return occlusion(model, input, { target });
    default:
      throw new FoveaError(
        'attributionMap',
        `unknown method '${method as string}'; use one of ${EXPLAIN_METHODS.join(', ')}`,
      );
  }
}
