/** Layers and models: the Module base, every layer, and the model zoo. */
export {
  Module,
  parameter,
  buffer,
  isParameter,
  type ForwardHook,
  type RemovableHandle,
} from './module.js';
export * from './input-gradient.js';
export { LayerError } from './layer-error.js';
export * from './layers/activation.js';
export * from './layers/container.js';
export * from './layers/conv.js';
export * from './layers/depthwise.js';
export * from './layers/dropout.js';
export * from './layers/linear.js';
export * from './layers/loss.js';
export * from './layers/norm.js';
export * from './layers/normalize.js';
export * from './layers/pool.js';
export * from './layers/resample.js';
