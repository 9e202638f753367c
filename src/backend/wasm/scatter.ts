import type { GatherDims } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import * as reference from '../reference/gather.js';
import { JOB } from './jobs.js';
import { Operands } from './operands.js';
import { pool } from './pool.js';

/** Below this many source elements the reference loop is as quick as the copies. */
const MIN_ELEMENTS = 4096;
/** From this many source elements on, the threads share the outer slices. */
const PARALLEL_ELEMENTS = 1 << 17;

/**
 * The kernel interface's `scatterAdd` on f32 (assembly/scatter.ts): max pooling's backward and
 * gather's; out is added into, so a JavaScript out is copied in first. Else reference.
 */
export function wasmScatterAdd(
  src: TypedArray,
  index: Int32Array,
  dims: GatherDims,
  out: TypedArray,
): void {
  if (
    !(src instanceof Float32Array) ||
    !(out instanceof Float32Array) ||
    src.length < MIN_ELEMENTS
  ) {
    reference.scatterAdd(src, index, dims, out);
    return;
  }
  const threads = pool();
  const room = new Operands(threads);
  const { outer, size, count, inner } = dims;
  const words = [JOB.scatterAdd, outer, size, count, inner, room.input(src), room.input(index)];
  words.push(room.output(out, 0, out.length, true));
  threads.run(words, src.length >= PARALLEL_ELEMENTS && outer > 1);
  room.finish();
}
