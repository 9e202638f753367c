/**
 * fovea: convolutional neural networks in TypeScript.
 *
 * @example
 * import { randn, conv2d, crossEntropy, tensor } from 'fovea';
 */
export type { DType, TypedArray } from './backend/dtype.js';
export type { Backend, MemoryStats } from './backend/backend.js';
export { FoveaError, LoadError } from './tensor/errors.js';
export type { Shape } from './tensor/shape.js';
export { Tensor, type NestedArray } from './tensor/tensor.js';
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
export * from './data/index.js';
export * from './analysis/summary.js';
export * from './io/npy.js';
export * from './io/safetensors.js';
export * from './io/model-file.js';
export * from './data/transforms/index.js';
export * from './train/index.js';
export * from './analysis/report.js';
export * from './nn/zoo/index.js';
export * from './deploy/index.js';
export * from './nn/transfer.js';
export * from './io/pretrained.js';
export * from './explain/index.js';
export * from './robust/index.js';
export { exportOnnx, type ExportOnnxOptions } from './onnx/export.js';
export { importOnnx, loadOnnx } from './onnx/import.js';
export { OnnxModel, InitializerGroup, type OnnxImportOptions } from './onnx/model.js';
export { tensorFromProto, tensorToProto, type TensorSource } from './onnx/tensor-proto.js';
export { findBackendTests, runBackendTest, type BackendTestResult } from './onnx/backend-test.js';
export * from './doctor/index.js';
