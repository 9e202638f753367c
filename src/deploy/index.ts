/**
 * Deployment for small devices: batch-norm folding and conv + activation fusion, magnitude and
 * channel pruning, post-training int8 quantization with save/load (ONNX export of the int8 model
 * goes through `exportOnnx`). See docs/deployment.md.
 */
export { foldBatchNorm, type FuseOptions } from './fold-batchnorm.js';
export { fuse } from './fuse.js';
export { FusedLayer } from './fused-layer.js';
export { findFusionGroups, type FusionGroup } from './fusion-groups.js';
export { layerChain, type ChainLink } from './layer-chain.js';
export {
  KeepPruned,
  magnitudePrune,
  PruningMasks,
  type MagnitudePruneOptions,
} from './magnitude-prune.js';
export {
  pruneChannels,
  type ChannelPruneOptions,
  type ChannelPruneReport,
} from './channel-prune.js';
export { RangeObserver, type CalibrationMethod } from './observer.js';
export { affineUint8, quantizeWeightsPerChannel, type AffineQuant } from './quant-params.js';
export {
  QuantizedConv,
  QuantizedLayer,
  QuantizedLinear,
  type QuantizedParams,
} from './quantized-layers.js';
export { quantize, QuantizedModel, type QuantizeOptions } from './quantize.js';
export {
  loadQuantizedModel,
  saveQuantizedModel,
  type QuantizedModelConfig,
} from './quantized-file.js';
