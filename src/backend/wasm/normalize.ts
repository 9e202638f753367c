import type { ChannelDims } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import * as reference from '../reference/normalize.js';
import { JOB } from './jobs.js';
import { Operands } from './operands.js';
import { pool } from './pool.js';

const FORWARD = 0;
const BACKWARD = 1;
/** Below this many elements the reference loop is as quick as the copies. */
const MIN_ELEMENTS = 4096;
/** From this many elements on, the threads share the channels. */
const PARALLEL_ELEMENTS = 1 << 16;

/**
 * Runs one normalize job on f32 data: `inputs` (two arrays of x's size and, backward, the
 * per-channel invStd) and `outputs` placed in wasm memory (operands.ts). Returns false, for the
 * reference kernel to run instead, on other dtypes and small inputs.
 */
function run(
  what: number,
  d: ChannelDims,
  eps: number,
  arrays: readonly TypedArray[],
  outputs: readonly number[],
): boolean {
  if (!arrays.every((a) => a instanceof Float32Array) || arrays[0].length < MIN_ELEMENTS) {
    return false;
  }
  const threads = pool();
  const room = new Operands(threads);
  const at = arrays.map((a, k) => (outputs.includes(k) ? room.output(a) : room.input(a)));
  const epsWords = new Int32Array(new Float64Array([eps]).buffer);
  threads.run(
    [JOB.normalize, what, d.outer, d.channels, d.inner, ...epsWords, ...at],
    arrays[0].length >= PARALLEL_ELEMENTS,
  );
  room.finish();
  return true;
}

/** The kernel interface's `normalize` on f32, else reference. */
export function wasmNormalize(
  x: TypedArray,
  d: ChannelDims,
  eps: number,
  xhat: TypedArray,
  mean: TypedArray,
  variance: TypedArray,
): void {
  if (!run(FORWARD, d, eps, [x, xhat, mean, variance], [1, 2, 3])) {
    reference.normalize(x, d, eps, xhat, mean, variance);
  }
}

/** The kernel interface's `normalizeBackward` on f32, else reference. */
export function wasmNormalizeBackward(
  g: TypedArray,
  xhat: TypedArray,
  invStd: TypedArray,
  d: ChannelDims,
  dx: TypedArray,
): void {
  if (!run(BACKWARD, d, 0, [g, xhat, invStd, dx], [3])) {
    reference.normalizeBackward(g, xhat, invStd, d, dx);
  }
}
