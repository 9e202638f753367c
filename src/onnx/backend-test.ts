/**
 * Runs ONNX backend test folders (ONNX's own conformance layout): `model.onnx` beside
 * `test_data_set_*` folders of `input_N.pb` / `output_N.pb` TensorProtos. Outputs must match
 * within ONNX's runner tolerance (|actual − expected| ≤ atol + rtol·|expected|, rtol 1e-3,
 * atol 1e-7), with equal shapes; NaN matches NaN.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { noGrad } from '../autograd/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { importOnnx } from './import.js';
import { decodeTensorProto, OnnxDataType } from './proto.js';
import { tensorFromProto } from './tensor-proto.js';

/** The outcome of one test folder: passed, or why not. */
export interface BackendTestResult {
  /** The folder. */
  folder: string;
  /** Whether every data set's outputs matched. */
  passed: boolean;
  /** What failed (empty when passed). */
  problem: string;
}

/** Tolerances of the comparison (defaults: ONNX's backend test runner). */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Every folder under `dir` (itself included) that holds a model.onnx and test data sets, sorted. */
export function findBackendTests(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const here =
    existsSync(join(dir, 'model.onnx')) && entries.some((e) => e.name.startsWith('test_data_set_'))
      ? [dir]
      : [];
  const below = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('test_data_set_'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => findBackendTests(join(dir, e.name)));
  return [...here, ...below];
}

/**
 * The N-numbered TensorProto files (`input_N.pb` or `output_N.pb`) of a data set, in order.
 * ONNX's test data stores BFLOAT16 values as UINT16 bit patterns; where the graph declares the
 * value BFLOAT16 (`declaredTypes`, by position), the bits are read as bfloat16.
 */
function numberedTensors(
  dataSet: string,
  prefix: string,
  declaredTypes: readonly (number | undefined)[],
): Tensor[] {
  return readdirSync(dataSet)
    .map((name) => ({ name, n: new RegExp(`^${prefix}_(\\d+)\\.pb$`).exec(name)?.[1] }))
    .filter((f): f is { name: string; n: string } => f.n !== undefined)
    .sort((a, b) => Number(a.n) - Number(b.n))
    .map(({ name, n }) => {
      const file = join(dataSet, name);
      const proto = decodeTensorProto(readFileSync(file), file);
      if (
        proto.data_type === OnnxDataType.UINT16 &&
        declaredTypes[Number(n)] === OnnxDataType.BFLOAT16
      ) {
        proto.data_type = OnnxDataType.BFLOAT16;
      }
      return tensorFromProto(proto, { file });
    });
}

/** Where two tensors differ beyond the tolerance, or undefined when they match. */
export function tensorMismatch(
  actual: Tensor,
  expected: Tensor,
  { rtol = 1e-3, atol = 1e-7 }: Tolerance = {},
): string | undefined {
  if (actual.shape.join() !== expected.shape.join())
    return `shape [${actual.shape}], expected [${expected.shape}]`;
  let worst = -1;
  let worstError = 0;
  for (let i = 0; i < expected.size; i++) {
    const [a, e] = [actual.data[i], expected.data[i]];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    const error = a === e ? 0 : Math.abs(a - e);
    if (
      !(error <= atol + rtol * Math.abs(e)) &&
      (worst < 0 || error > worstError || Number.isNaN(error))
    ) {
      worst = i;
      worstError = error;
    }
  }
  if (worst < 0) return undefined;
  return `element ${worst} is ${actual.data[worst]}, expected ${expected.data[worst]} (max error ${worstError})`;
}

/** Runs one test folder: every data set through the imported model, outputs compared. */
export function runBackendTest(folder: string, tolerance: Tolerance = {}): BackendTestResult {
  try {
    const model = importOnnx(join(folder, 'model.onnx'));
    const dataSets = readdirSync(folder)
      .filter(
        (name) => name.startsWith('test_data_set_') && statSync(join(folder, name)).isDirectory(),
      )
      .sort();
    for (const name of dataSets) {
      const dataSet = join(folder, name);
      const inputs = numberedTensors(
        dataSet,
        'input',
        model.inputNames.map((n) => model.declaredType(n)),
      );
      const feeds = Object.fromEntries(
        model.inputNames.map((input, i) => [input, inputs[i]]).filter(([, t]) => t),
      );
      const outputs = noGrad(() => model.run(feeds));
      const expected = numberedTensors(
        dataSet,
        'output',
        model.outputNames.map((n) => model.declaredType(n)),
      );
      for (const [i, want] of expected.entries()) {
        const outputName = model.outputNames[i];
        const mismatch = tensorMismatch(outputs[outputName], want, tolerance);
        if (mismatch)
          return { folder, passed: false, problem: `${name}: output '${outputName}' ${mismatch}` };
      }
    }
    return { folder, passed: true, problem: '' };
  } catch (e) {
    return { folder, passed: false, problem: e instanceof Error ? e.message : String(e) };
  }
}
