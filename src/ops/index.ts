/** Every op of fovea's functional API; importing this also installs the Tensor methods. */
import './methods.js';

export * from './arithmetic.js';
export * from './cast.js';
export * from './compare.js';
export * from './concat.js';
export * from './matmul.js';
export * from './pad.js';
export * from './permute.js';
export * from './reduce.js';
export * from './reshape.js';
export * from './slice.js';
export * from './sum-to.js';
export * from './unary.js';
export type { TensorLike } from './util.js';
