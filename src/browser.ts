/**
 * fovea in a browser: everything of `fovea` that needs no file system — tensors, autograd, every
 * op and layer, the optimizers, datasets in memory with their loader and transforms, `fit` and
 * its callbacks, analysis, explanation and robustness — with the wasm backend on Web Workers.
 * `await ready()` before the first op. Built into `dist/browser/fovea.js` by
 * `npm run build:browser`; see docs/browser.md. src/index.ts (Node) exports all of it too.
 *
 * @example
 * import { ready, randn, conv2d } from 'fovea/browser';
 * await ready();
 * conv2d(randn([1, 3, 32, 32]), randn([8, 3, 3, 3])).shape; // [1, 8, 30, 30]
 */
export type { DType, TypedArray } from './backend/dtype.js';
export type { Backend, MemoryStats } from './backend/backend.js';
export { FoveaError, LoadError } from './tensor/errors.js';
export type { Shape } from './tensor/shape.js';
export { Tensor, type NestedArray } from './tensor/tensor.js';
export { keep, startScope, tidy, type MemoryScope } from './tensor/scope.js';
export * from './tensor/create.js';
export * from './tensor/init.js';
export { Generator, manualSeed, defaultGenerator } from './tensor/random.js';
export { getBackend, registerBackend, setBackend } from './tensor/backend-registry.js';
export { ready, wasmInfo, type WasmInfo } from './backend/wasm/index.js';
export { noGrad, isGradEnabled } from './autograd/grad-mode.js';
export {
  detectAnomaly,
  isAnomalyDetectionEnabled,
  NonFiniteError,
  withAnomalyDetection,
} from './autograd/anomaly.js';
export * from './ops/index.js';
export * from './nn/index.js';
export * from './optim/index.js';
export * from './analysis/summary.js';
export * from './analysis/report.js';
export type { Batch, Dataset, Sample, SampleTransform } from './data/dataset.js';
export * from './data/tensor-dataset.js';
export * from './data/loader.js';
export { encodeIdx, readIdx, type IdxType, type IdxWriteOptions } from './data/idx-format.js';
export * from './data/transforms/index.js';
export * from './train/callback.js';
export * from './train/fit.js';
export * from './train/train-step.js';
export * from './train/metrics.js';
export { EarlyStopping, type EarlyStoppingOptions } from './train/callbacks/early-stopping.js';
export { LRSchedulerCallback, type StepSchedule } from './train/callbacks/lr-scheduler.js';
export { TerminateOnNaN } from './train/callbacks/terminate-on-nan.js';
export * from './nn/zoo/index.js';
export * from './nn/transfer.js';
export * from './explain/methods.js';
export * from './robust/index.js';
