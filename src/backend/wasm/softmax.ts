import type { ReduceDims } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import * as reference from '../reference/softmax.js';
import { JOB } from './jobs.js';
import { Operands } from './operands.js';
import { pool } from './pool.js';

/** Below this many elements the reference loop is as quick as the copies. */
const MIN_ELEMENTS = 4096;
/** From this many elements on, the threads share the slices. */
const PARALLEL_ELEMENTS = 1 << 16;

/**
 * Runs one log-softmax job on f32 data (assembly/softmax.ts): `arrays` placed in wasm memory
 * (operands.ts), the last one written. Returns false, for the reference kernel to run instead, on other dtypes and
 * small inputs.
 */
function run(kind: number, d: ReduceDims, arrays: readonly TypedArray[]): boolean {
  if (!arrays.every((a) => a instanceof Float32Array) || arrays[0].length < MIN_ELEMENTS) {
    return false;
  }
  const threads = pool();
  const room = new Operands(threads);
  const result = arrays.length - 1;
  const at = arrays.map((a, k) => (k === result ? room.output(a) : room.input(a)));
  threads.run([kind, d.outer, d.size, d.inner, ...at], arrays[0].length >= PARALLEL_ELEMENTS);
  room.finish();
  return true;
}

/**
 * The kernel interface's `logSoftmax` on f32 (a vector exp within 2 ulp of e^x, sums in f32
 * lanes, the log in f64), else reference.
 */
export function wasmLogSoftmax(x: TypedArray, d: ReduceDims, out: TypedArray): void {
  if (!run(JOB.logSoftmax, d, [x, out])) reference.logSoftmax(x, d, out);
}

/** The kernel interface's `logSoftmaxBackward` on f32, else reference. */
export function wasmLogSoftmaxBackward(
  y: TypedArray,
  g: TypedArray,
  d: ReduceDims,
  gx: TypedArray,
): void {
  if (!run(JOB.logSoftmaxBackward, d, [y, g, gx])) reference.logSoftmaxBackward(y, g, d, gx);
}
