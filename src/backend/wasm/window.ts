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

/** The job's words for the geometry: per axis (three, leading ones of size 1) sizes and steps. */
function axisWords(g: WindowGeometry): { sizes: number[]; starts: Int32Array; counts: Int32Array } {
  const one = { inSize: 1, outSize: 1, step: 1, start: Int32Array.of(0), count: Int32Array.of(1) };
  const axes = [...new Array<typeof one>(3 - g.axes.length).fill(one), ...g.axes];
  const join = (part: (a: (typeof axes)[number]) => Int32Array) => {
    const all = new Int32Array(axes.reduce((n, a) => n + a.outSize, 0));
    let at = 0;
    for (const a of axes) {
      all.set(part(a), at);
      at += a.outSize;
    }
    return all;
  };
  return {
    sizes: [
      ...axes.map((a) => a.inSize),
      ...axes.map((a) => a.outSize),
      ...axes.map((a) => a.step),
    ],
    starts: join((a) => a.start),
    counts: join((a) => a.count),
  };
}

/** 1 when the windows are 2×2 at stride 2 from the origin (assembly/window.ts's fast path). */
function pairs(g: WindowGeometry): number {
  const even = g.axes.every(
    (a) => a.step === 1 && a.start.every((s, o) => s === 2 * o) && a.count.every((c) => c === 2),
  );
  return g.axes.length === 2 && even ? 1 : 0;
}

/**
 * Runs one window job over f32 planes: the per-axis window tables, `src`, `dst` and (for max)
 * the argmax placed in wasm memory (operands.ts). Returns false, for the
 * reference kernel to run instead, on other dtypes, small inputs and more than three axes.
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
  if (g.planes * inCount < MIN_ELEMENTS || outCount === 0 || g.axes.length > 3) return false;
  const { sizes, starts, counts } = axisWords(g);
  const threads = pool();
  const room = new Operands(threads);
  const startsAt = room.copyIn(starts);
  const countsAt = room.copyIn(counts);
  const srcAt = room.input(src);
  const dstAt = room.output(dst);
  // The max job always writes an argmax: without one asked for, it goes to room not copied out.
  const argAt = argmax ? room.output(argmax) : room.room(what === MAX ? dst.length : 0);
  threads.run(
    [JOB.window, what, g.planes, ...sizes, startsAt, countsAt, srcAt, dstAt, argAt, pairs(g)],
    g.planes * inCount >= PARALLEL_ELEMENTS,
  );
  room.finish();
  return true;
}

/** The kernel interface's `windowMax` on f32, else reference. */
export function wasmWindowMax(
  x: TypedArray,
  g: WindowGeometry,
  out: TypedArray,
  argmax?: Int32Array,
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
