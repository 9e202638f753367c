/** Every op of fovea's functional API; importing this also installs the Tensor methods. */
import './methods.js';

export * from './arithmetic.js';
export * from './cast.js';
export * from './compare.js';
export * from './concat.js';
// conv.ts also holds the geometry and grouped-matmul helpers its siblings share; only the ops are API.
export {
  conv1d,
  conv2d,
  conv3d,
  type ConvOptions,
  type ConvPadding,
  type PaddingMode,
} from './conv.js';
export * from './conv-transpose.js';
export * from './unfold.js';
export * from './linear.js';
export * from './matmul.js';
export * from './pad.js';
export * from './permute.js';
export * from './pool.js';
export * from './reduce.js';
export * from './reshape.js';
export * from './slice.js';
export * from './sum-to.js';
export * from './unary.js';
export * from './activation.js';
export * from './softmax.js';
export * from './gather.js';
export * from './loss.js';
export * from './cross-entropy.js';
export * from './focal-loss.js';
export * from './dice-loss.js';
export * from './embedding-loss.js';
export {
  cosineSimilarity,
  pairwiseDistance,
  type CosineSimilarityOptions,
  type PairwiseDistanceOptions,
} from './distance.js';
export * from './norm.js';
export * from './dropout.js';
export * from './interpolate.js';
export * from './pixel-shuffle.js';
export type { TensorLike } from './util.js';
