/** Reading .onnx files into fovea Modules. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OnnxModel, type OnnxImportOptions } from './model.js';
import { FoveaError } from '../tensor/errors.js';
import { decodeModel } from './proto.js';

/**
 * Imports an ONNX model, from a path or the file's bytes, as a trainable fovea Module (see
 * OnnxModel). External weight files are read from the model's folder (so bytes can hold no
 * external data). The model starts in eval mode, or in training mode when its graph was exported
 * for training (a BatchNormalization with training_mode = 1).
 *
 * @example
 * const model = importOnnx('mobilenet_v2.onnx');
 * const logits = model.forward(images); // [N, 1000]
 */
export function importOnnx(
  source: string | Uint8Array,
  options: OnnxImportOptions = {},
): OnnxModel {
  if (typeof source !== 'string') {
    return new OnnxModel(decodeModel(source, 'model bytes'), { file: 'model bytes' }, options);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(source);
  } catch (e) {
    throw new FoveaError('onnx', `${source}: cannot read the model (${(e as Error).message})`);
  }
  return new OnnxModel(
    decodeModel(bytes, source),
    { file: source, modelDir: dirname(resolve(source)) },
    options,
  );
}

/**
 * Loads an ONNX model file (`importOnnx` for a path).
 *
 * @example
 * const model = loadOnnx('resnet18.onnx').eval();
 */
export function loadOnnx(path: string, options: OnnxImportOptions = {}): OnnxModel {
  return importOnnx(path, options);
}
