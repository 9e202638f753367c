/** `fovea run MODEL.onnx --input NAME=FILE.npy ... --out DIR`: an ONNX model on .npy inputs. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../src/autograd/grad-mode.js';
import { loadNpy, saveNpy, type NpyDtype } from '../src/io/npy.js';
import { importOnnx } from '../src/onnx/import.js';
import { OnnxDataType } from '../src/onnx/proto.js';
import { FoveaError } from '../src/tensor/errors.js';
import type { Tensor } from '../src/tensor/tensor.js';

/** Options of `fovea run`. */
export interface RunCommandOptions {
  /** `NAME=FILE.npy`, one per graph input. */
  input?: string[];
  /** The folder the outputs are written to (default: the current folder). */
  out?: string;
}

/** The .npy dtype of each ONNX element type an output can have. */
const npyDtypes = new Map<number, NpyDtype>([
  [OnnxDataType.FLOAT16, 'f2'],
  [OnnxDataType.FLOAT, 'f4'],
  [OnnxDataType.DOUBLE, 'f8'],
  [OnnxDataType.INT8, 'i1'],
  [OnnxDataType.INT16, 'i2'],
  [OnnxDataType.INT32, 'i4'],
  [OnnxDataType.INT64, 'i8'],
  [OnnxDataType.UINT8, 'u1'],
  [OnnxDataType.UINT16, 'u2'],
  [OnnxDataType.UINT32, 'u4'],
  [OnnxDataType.UINT64, 'u8'],
  [OnnxDataType.BOOL, 'b1'],
]);

/** `NAME=FILE.npy` pairs → tensors by input name. */
function readFeeds(pairs: readonly string[]): Record<string, Tensor> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const split = pair.indexOf('=');
      if (split <= 0) {
        throw new FoveaError('run', `--input must be NAME=FILE.npy, got '${pair}'`);
      }
      return [pair.slice(0, split), loadNpy(pair.slice(split + 1))];
    }),
  );
}

/** A file name for an ONNX value name, which may hold '/' or ':' (`/features/Conv_output_0`). */
export function outputFileName(name: string): string {
  return `${name.replace(/[^\w.-]/g, '_')}.npy`;
}

/**
 * Runs the ONNX model at `file` with fovea on the given .npy inputs and writes each graph output
 * as DIR/NAME.npy in the element type the graph declares (int64 as '<i8', ...); prints one line
 * per output.
 */
export function runCommand(
  file: string,
  options: RunCommandOptions,
  print: (line: string) => void,
): void {
  const model = importOnnx(file);
  model.eval();
  const feeds = readFeeds(options.input ?? []);
  const outputs = noGrad(() => model.run(feeds));
  const dir = options.out ?? '.';
  mkdirSync(dir, { recursive: true });
  for (const [name, t] of Object.entries(outputs)) {
    const path = join(dir, outputFileName(name));
    saveNpy(path, t, { dtype: npyDtypes.get(model.declaredType(name) ?? -1) });
    print(`${name}: [${t.shape.join(',')}] → ${path}`);
  }
}
