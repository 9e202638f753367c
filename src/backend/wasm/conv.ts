import type { GroupedConv } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { clampBounds, type FusedActivation } from '../fused-activation.js';
import * as reference from '../reference/conv.js';
import { planeSizes } from '../reference/im2col.js';
import { f32Word, JOB, PARALLEL_FLOPS } from './jobs.js';
import { Operands } from './operands.js';
import { pool } from './pool.js';

/** The geometry words of a conv job (assembly/conv-geometry.ts), seen as 3-D: 1-D and 2-D get leading 1s. */
export function geometryWords(geom: GroupedConv): number[] {
  const lead = 3 - geom.inSize.length;
  const as3d = (sizes: readonly number[], fill: number) => [
    ...new Array<number>(lead).fill(fill),
    ...sizes,
  ];
  return [
    geom.batch,
    geom.channels,
    geom.outChannels,
    geom.groups,
    ...as3d(geom.inSize, 1),
    ...as3d(geom.outSize, 1),
    ...as3d(geom.kernel, 1),
    ...as3d(geom.stride, 1),
    ...as3d(geom.padBefore, 0),
    ...as3d(geom.dilation, 1),
  ];
}

/** Flops of the conv (2 per multiply-add): the same for all three maps. */
export function convFlops(geom: GroupedConv): number {
  const { rowsPerChannel, outCount } = planeSizes(geom);
  const perOutput = (geom.channels / geom.groups) * rowsPerChannel;
  return 2 * geom.batch * geom.outChannels * outCount * perOutput;
}

/** What a conv job takes besides its two operands and result. */
interface ConvExtras {
  /** The forward conv's bias [C_out], read. */
  bias?: TypedArray;
  /** The forward conv's fused activation. */
  activation?: FusedActivation;
  /** The weight job's bias gradient [C_out], written. */
  gbias?: TypedArray;
}

/**
 * Runs one conv job: copies the two inputs (and the bias) into wasm memory, runs `kind` on every
 * thread, and copies the result (and the bias gradient) out. Non-float32 data (float64 gradient
 * checks) and empty shapes take the reference kernel, `fallback`.
 */
function run(
  kind: number,
  fallback: () => void,
  a: TypedArray,
  b: TypedArray,
  geom: GroupedConv,
  out: TypedArray,
  { bias, activation, gbias }: ConvExtras = {},
): void {
  const f32 = (v: TypedArray | undefined) => v === undefined || v instanceof Float32Array;
  if (
    ![a, b, out, bias, gbias].every(f32) ||
    out.length === 0 ||
    a.length === 0 ||
    b.length === 0
  ) {
    fallback();
    return;
  }
  const threads = pool();
  const room = new Operands(threads);
  const aAt = room.room(a.length);
  const bAt = room.room(b.length);
  const outAt = room.room(out.length);
  // The per-channel vector: the bias read by the forward job, or the weight job's bias gradient.
  const vector = bias ?? gbias;
  const vectorAt = vector ? room.room(vector.length) : 0;
  const heap = new Float32Array(room.buffer());
  heap.set(a, aAt / 4);
  heap.set(b, bAt / 4);
  if (bias) heap.set(bias, vectorAt / 4);
  const [lo, hi] = clampBounds(activation).map(f32Word);
  threads.run(
    [kind, ...geometryWords(geom), aAt, bAt, outAt, threads.colsBytes, vectorAt, lo, hi],
    convFlops(geom) >= PARALLEL_FLOPS,
  );
  out.set(heap.subarray(outAt / 4, outAt / 4 + out.length));
  gbias?.set(heap.subarray(vectorAt / 4, vectorAt / 4 + gbias.length));
}

/**
 * The kernel interface's `conv` on the pool: Winograd, im2col slices and GEMM, or direct
 * depthwise, with the bias and the fused activation applied to each block of output as it is made.
 */
export function wasmConv(
  x: TypedArray,
  w: TypedArray,
  geom: GroupedConv,
  out: TypedArray,
  bias?: TypedArray,
  activation?: FusedActivation,
): void {
  const fallback = () => reference.conv(x, w, geom, out, bias, activation);
  run(JOB.conv, fallback, x, w, geom, out, { bias, activation });
}

/** The kernel interface's `convAdjoint` on the pool. */
export function wasmConvAdjoint(
  gout: TypedArray,
  w: TypedArray,
  geom: GroupedConv,
  gin: TypedArray,
): void {
  run(JOB.convAdjoint, () => reference.convAdjoint(gout, w, geom, gin), gout, w, geom, gin);
}

/** The kernel interface's `convWeightGrad` on the pool, the bias gradient from the same copy of gout. */
export function wasmConvWeightGrad(
  x: TypedArray,
  gout: TypedArray,
  geom: GroupedConv,
  gw: TypedArray,
  gbias?: TypedArray,
): void {
  const fallback = () => reference.convWeightGrad(x, gout, geom, gw, gbias);
  run(JOB.convWeightGrad, fallback, x, gout, geom, gw, { gbias });
}
