import type { BinaryOp, Strided, UnaryOp } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import * as reference from '../reference/elementwise.js';
import { coalesce } from '../reference/strided.js';
import { JOB } from './jobs.js';
import { Operands } from './operands.js';
import { pool } from './pool.js';

// Op codes of assembly/elementwise.ts.
const UNARY: Partial<Record<UnaryOp, number>> = {
  copy: 0,
  neg: 1,
  abs: 2,
  relu: 3,
  sqrt: 4,
  reciprocal: 5,
  floor: 6,
  ceil: 7,
  round: 8,
};
const BINARY: Partial<Record<BinaryOp, number>> = {
  add: 10,
  sub: 11,
  mul: 12,
  div: 13,
  maximum: 14,
  minimum: 15,
  gatePositive: 16,
  eq: 20,
  ne: 21,
  lt: 22,
  le: 23,
  gt: 24,
  ge: 25,
};
const WHERE = 30;
const MAX_DIMS = 6;

/** Below this many elements the reference loop is as quick as copying into wasm and back. */
const MIN_ELEMENTS = 4096;
/** From this many elements on, the threads share the rows. */
const PARALLEL_ELEMENTS = 1 << 17;

/**
 * Runs one elementwise job, or returns false (the caller then runs the reference kernel) when
 * the operands are not the types the kernels take, the op is too small to repay the copies, or
 * its strides are negative or too many after merging dims. Each input's span (from its offset to
 * the last element it reaches) and the contiguous result are placed in wasm memory (operands.ts).
 */
function run(
  op: number,
  inputs: readonly Strided[],
  inputTypes: readonly ('f32' | 'u8')[],
  out: TypedArray,
  outType: 'f32' | 'u8',
  shape: readonly number[],
): boolean {
  if (out.length < MIN_ELEMENTS) return false;
  const typed = (data: TypedArray, type: 'f32' | 'u8') =>
    type === 'f32' ? data instanceof Float32Array : data instanceof Uint8Array;
  if (!typed(out, outType) || inputs.some((x, k) => !typed(x.data, inputTypes[k]))) return false;
  const { dims, strides } = coalesce(shape.length ? shape : [1], inputs);
  if (dims.length > MAX_DIMS || strides.some((s) => s.some((v) => v < 0))) return false;
  const threads = pool();
  const room = new Operands(threads);
  const spans = strides.map((s) => 1 + s.reduce((sum, v, d) => sum + v * (dims[d] - 1), 0));
  const words = [JOB.elementwise, op, dims.length, ...pad(dims), room.output(out)];
  inputs.forEach((x, k) => words.push(room.input(x.data, x.offset, spans[k]), ...pad(strides[k])));
  threads.run(words, out.length >= PARALLEL_ELEMENTS);
  room.finish();
  return true;
}

/** Sizes padded to MAX_DIMS words. */
function pad(values: readonly number[]): number[] {
  return [...values, ...new Array<number>(MAX_DIMS - values.length).fill(0)];
}

/** The kernel interface's `unary` on f32 (the ops SIMD does in one instruction), else reference. */
export function wasmUnary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const code = UNARY[op];
  const input = { data: x, offset: 0, strides: [1] };
  if (code === undefined || !run(code, [input], ['f32'], out, 'f32', [x.length])) {
    reference.unary(op, x, out);
  }
}

/** The kernel interface's `binary` on f32 (comparisons write u8), else reference. */
export function wasmBinary(
  op: BinaryOp,
  a: Strided,
  b: Strided,
  out: TypedArray,
  shape: readonly number[],
): void {
  const code = BINARY[op];
  const outType = code !== undefined && code >= BINARY.eq! ? 'u8' : 'f32';
  if (code === undefined || !run(code, [a, b], ['f32', 'f32'], out, outType, shape)) {
    reference.binary(op, a, b, out, shape);
  }
}

/** The kernel interface's `where` with a u8 condition and f32 values, else reference. */
export function wasmWhere(
  cond: Strided,
  a: Strided,
  b: Strided,
  out: TypedArray,
  shape: readonly number[],
): void {
  if (!run(WHERE, [cond, a, b], ['u8', 'f32', 'f32'], out, 'f32', shape)) {
    reference.where(cond, a, b, out, shape);
  }
}

/** The kernel interface's `copy` of a strided f32 view, else reference. */
export function wasmCopy(src: Strided, out: TypedArray, shape: readonly number[]): void {
  if (!run(UNARY.copy!, [src], ['f32'], out, 'f32', shape)) reference.copy(src, out, shape);
}
