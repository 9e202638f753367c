import type { WindowGeometry } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import * as reference from '../reference/window.js';
import { JOB } from './jobs.js';
import { Operands } from './operands.js';
import { pool } from './pool.js';

// What a window job does (assembly/window.ts).
const MAX = 0;
const SUM = 1;
const SUM_BACKWARD = 2;

/** Below this many input elements the reference loop is as quick as the copies. */
const MIN_ELEMENTS = 4096;
/** From this many input elements on, the threads share the planes. */
const PARALLEL_ELEMENTS = 1 << 17;

/**
 * Runs one window job over f32 planes: the window list, `src` and (for max) room for the argmax
 * go into wasm memory; the result comes back into `dst`. Returns false, for the reference
 * kernel to run instead, on other dtypes and small inputs.
 */
function run(
  what: number,
  src: TypedArray,
  g: WindowGeometry,
  dst: TypedArray,
  argmax?: Int32Array,
): boolean {
  const { inCount, outCount } = reference.planeCounts(g);
  if (!(src instanceof Float32Array) || !(dst instanceof Float32Array)) return false;
  if (g.planes * inCount < MIN_ELEMENTS || outCount === 0) return false;
  const { ptr, index } = reference.windowLists(g);
  const threads = pool();
  const room = new Operands(threads);
  const ptrAt = room.room(ptr.length);
  const indexAt = room.room(index.length);
  const srcAt = room.room(src.length);
  const dstAt = room.room(dst.length);
  const argAt = room.room(argmax?.length ?? 0);
  const memory = room.buffer();
  new Int32Array(memory, ptrAt, ptr.length).set(ptr);
  new Int32Array(memory, indexAt, index.length).set(index);
  new Float32Array(memory, srcAt, src.length).set(src);
  threads.run(
    [JOB.window, what, g.planes, inCount, outCount, ptrAt, indexAt, srcAt, dstAt, argAt],
    g.planes * inCount >= PARALLEL_ELEMENTS,
  );
  dst.set(new Float32Array(memory, dstAt, dst.length));
  argmax?.set(new Int32Array(memory, argAt, argmax.length));
  return true;
}

/** The kernel interface's `windowMax` on f32, else reference. */
export function wasmWindowMax(
  x: TypedArray,
  g: WindowGeometry,
  out: TypedArray,
  argmax: Int32Array,
): void {
  if (!run(MAX, x, g, out, argmax)) reference.windowMax(x, g, out, argmax);
}

/** The kernel interface's `windowSum` on f32, else reference. */
export function wasmWindowSum(x: TypedArray, g: WindowGeometry, out: TypedArray): void {
  if (!run(SUM, x, g, out)) reference.windowSum(x, g, out);
}

/** The kernel interface's `windowSumBackward` on f32, else reference. */
export function wasmWindowSumBackward(gout: TypedArray, g: WindowGeometry, gin: TypedArray): void {
  if (!run(SUM_BACKWARD, gout, g, gin)) reference.windowSumBackward(gout, g, gin);
}
