import type { ConvBackward, GroupedConv } from '../backend.js';
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

/**
 * Runs one conv job: places the two inputs (and the bias) in wasm memory, runs `kind` on every
 * thread, and places the result (operands.ts). Non-float32 data (float64 gradient checks) and empty shapes
 * take the reference kernel, `fallback`.
 */
function run(
  kind: number,
  fallback: () => void,
  a: TypedArray,
  b: TypedArray,
  geom: GroupedConv,
  out: TypedArray,
  bias?: TypedArray,
  activation?: FusedActivation,
): void {
  if (!allFloat32([a, b, out, bias]) || out.length === 0 || a.length === 0 || b.length === 0) {
    fallback();
    return;
  }
  const threads = pool();
  const room = new Operands(threads);
  const addresses = [room.input(a), room.input(b), room.output(out), bias ? room.input(bias) : 0];
  threads.run(jobWords(kind, geom, addresses, activation), convFlops(geom) >= PARALLEL_FLOPS);
  room.finish();
}

/**
 * A conv job's words (assembly/f32-conv.ts): the kind, the geometry, the addresses of its two
 * operands and result, the column buffer's size, the per-channel vector (the forward's bias or
 * the weight job's bias gradient; 0 for none), and the fused activation's clamp as f32 bits.
 */
function jobWords(
  kind: number,
  geom: GroupedConv,
  [a, b, out, vector]: number[],
  activation?: FusedActivation,
): number[] {
  const bounds = clampBounds(activation).map(f32Word);
  return [kind, ...geometryWords(geom), a, b, out, pool().colsBytes, vector, ...bounds];
}

/** Whether every array given is float32 (absent ones do not count). */
function allFloat32(arrays: (TypedArray | undefined)[]): boolean {
  return arrays.every((v) => v === undefined || v instanceof Float32Array);
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
  run(JOB.conv, fallback, x, w, geom, out, bias, activation);
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

/** The kernel interface's `convWeightGrad` on the pool. */
export function wasmConvWeightGrad(
  x: TypedArray,
  gout: TypedArray,
  geom: GroupedConv,
  gw: TypedArray,
): void {
  run(JOB.convWeightGrad, () => reference.convWeightGrad(x, gout, geom, gw), x, gout, geom, gw);
}

const GATE = { relu: 1, relu6: 2 } as const;

/**
 * The kernel interface's `convBackward` on the pool: gout placed in wasm memory once and gated
 * there (into room of its own) by the fused activation, then the adjoint job and the weight job
 * (which also sums the bias gradient) read it where it is. Against gating, then calling
 * convAdjoint and convWeightGrad, this saves writing the gated gradient out and copying it back
 * in twice.
 */
export function wasmConvBackward(args: ConvBackward): void {
  const { x, w, gout, geom, activation, gin, gw, gbias } = args;
  const arrays = [x, w, gout, activation?.y, gin, gw, gbias];
  if (!allFloat32(arrays) || gout.length === 0 || x.length === 0 || w.length === 0) {
    reference.convBackward(args);
    return;
  }
  const threads = pool();
  const room = new Operands(threads);
  // x feeds only the weight gradient, w only the input gradient.
  const goutAt = room.input(gout);
  const yAt = activation ? room.input(activation.y) : 0;
  const xAt = gw ? room.input(x) : 0;
  const wAt = gin ? room.input(w) : 0;
  const [ginAt, gwAt, gbiasAt] = [gin, gw, gbias].map((v) => (v ? room.output(v) : 0));
  const parallel = convFlops(geom) >= PARALLEL_FLOPS;
  // The gated gradient goes to room of its own: gout may be the caller's array.
  const gatedAt = activation ? room.room(gout.length) : goutAt;
  if (activation) {
    const kind = GATE[activation.kind];
    threads.run([JOB.convGate, kind, gout.length, yAt, goutAt, gatedAt], parallel);
  }
  if (gin) threads.run(jobWords(JOB.convAdjoint, geom, [gatedAt, wAt, ginAt, 0]), parallel);
  if (gw || gbias) {
    threads.run(jobWords(JOB.convWeightGrad, geom, [xAt, gatedAt, gwAt, gbiasAt]), parallel);
  }
  room.finish();
}
