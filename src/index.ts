/**
 * fovea: convolutional neural networks in TypeScript. In Node, everything: the API of the browser
 * build (src/browser.ts), and what needs files or native modules — datasets on disk, .npy and
 * safetensors, model folders and checkpoints, deployment files, ONNX import and export, images,
 * the doctor.
 *
 * @example
 * import { randn, conv2d, crossEntropy, tensor } from 'fovea';
 */
export * from './browser.js';
// Node's readIdx also reads gzipped bytes (zlib); a named export wins over the two `export *`s.
export { readIdx } from './data/idx.js';
export * from './data/index.js';
export * from './io/npy.js';
export * from './io/safetensors.js';
export * from './io/model-file.js';
export * from './train/index.js';
export * from './deploy/index.js';
export * from './io/pretrained.js';
export * from './explain/index.js';
export { exportOnnx, type ExportOnnxOptions } from './onnx/export.js';
export { importOnnx, loadOnnx } from './onnx/import.js';
export { OnnxModel, InitializerGroup, type OnnxImportOptions } from './onnx/model.js';
export { tensorFromProto, tensorToProto, type TensorSource } from './onnx/tensor-proto.js';
export { findBackendTests, runBackendTest, type BackendTestResult } from './onnx/backend-test.js';
export * from './doctor/index.js';
