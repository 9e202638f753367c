/** `fovea export MODEL --onnx FILE`: a zoo model or a saved model folder as an ONNX file. */
import { exportOnnx } from '../src/onnx/export.js';
import { decodeModel, type ValueInfoProto } from '../src/onnx/proto.js';
import { FoveaError } from '../src/tensor/errors.js';
import { inputShapeOf, resolveModel } from './inspect.js';

/** Options of `fovea export`. */
export interface ExportCommandOptions {
  /** The .onnx file to write. */
  onnx?: string;
  /** One input without the batch dim, e.g. '3,32,32' (default: the saved model's, or 1,28,28). */
  input?: string;
  /** ONNX operator set version (default 17). */
  opset?: number;
}

/** `[batch,3,32,32]`: a declared shape, symbolic dims by name. */
function declaredShape(value: ValueInfoProto): string {
  const dims = value.type?.tensor_type?.shape?.dim ?? [];
  return `[${dims.map((d) => d.dim_param ?? d.dim_value).join(',')}]`;
}

/**
 * Exports `model` (a zoo name or a saved model folder) to the ONNX file `options.onnx`, and prints
 * what was written: nodes, initializers, input and output shapes.
 */
export function exportCommand(
  model: string,
  options: ExportCommandOptions,
  print: (line: string) => void,
): void {
  if (!options.onnx) throw new FoveaError('export', 'give the file to write with --onnx FILE');
  const { module, config } = resolveModel(model);
  const inputShape = inputShapeOf(config, options.input);
  const bytes = exportOnnx(module, { inputShape, file: options.onnx, opset: options.opset });
  const graph = decodeModel(bytes, options.onnx).graph!;
  print(
    `${options.onnx}: ${graph.node!.length} nodes, ${graph.initializer!.length} initializers, ` +
      `input ${declaredShape(graph.input![0])} → output ${declaredShape(graph.output![0])}, ` +
      `${(bytes.length / 1e6).toFixed(2)} MB`,
  );
}
