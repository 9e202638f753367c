import type { GroupedConv, Int8ConvWeights, Requantization } from '../backend.js';
import { planeSizes } from '../reference/im2col.js';
import { quantizedConv } from '../reference/quantized-conv.js';
import { convFlops, geometryWords } from './conv.js';
import { f32Word, JOB, PARALLEL_FLOPS } from './jobs.js';
import { Operands } from './operands.js';
import { pool } from './pool.js';

/** The weights as assembly/qu8-conv.ts reads them, made once per layer and kept. */
interface PackedWeights {
  groups: number;
  /** The reduction length rounded up to a pair, and output channels per group up to 4. */
  kPad: number;
  opgPad: number;
  /** i16 [groups, opgPad, kPad], zero in the padding. */
  values: Int16Array;
  /** Per packed row (zero in the padding rows). */
  bias: Int32Array;
  multiplier: Float64Array;
}

const packed = new WeakMap<Int8ConvWeights, PackedWeights>();

/** `weights` packed for `groups` groups of outputs, each reducing over `k` values. */
function packedWeights(weights: Int8ConvWeights, groups: number, k: number): PackedWeights {
  const known = packed.get(weights);
  if (known?.groups === groups) return known;
  const outPerGroup = weights.bias.length / groups;
  const kPad = k + (k % 2);
  const opgPad = Math.ceil(outPerGroup / 4) * 4;
  const values = new Int16Array(groups * opgPad * kPad);
  const bias = new Int32Array(groups * opgPad);
  const multiplier = new Float64Array(groups * opgPad);
  for (let g = 0; g < groups; g++) {
    for (let o = 0; o < outPerGroup; o++) {
      const [row, from] = [g * opgPad + o, g * outPerGroup + o];
      values.set(weights.values.subarray(from * k, (from + 1) * k), row * kPad);
      bias[row] = weights.bias[from];
      multiplier[row] = weights.multiplier[from];
    }
  }
  const made = { groups, kPad, opgPad, values, bias, multiplier };
  packed.set(weights, made);
  return made;
}

/** Longer reductions could overflow the int32 sums (255 · 127 · k ≥ 2³¹). */
const MAX_K = 65536;
/** Most columns per tile: enough to amortise gathering the weights, few enough for L2. */
const MAX_TILE = 512;

/**
 * Columns per (group, tile) item: a multiple of 8 that fills every thread and whose gathered
 * rows and panel (tile × kPad i16 each) fit a thread's column buffer.
 */
function tileColumns(
  columns: number,
  groups: number,
  kPad: number,
  threads: number,
  bytes: number,
) {
  const fits = Math.floor(bytes / (4 * kPad) / 8) * 8;
  const perGroup = Math.ceil(threads / groups);
  const even = Math.ceil(Math.ceil(columns / perGroup) / 8) * 8;
  return Math.max(8, Math.min(even, fits, MAX_TILE));
}

/**
 * The kernel interface's `quantizedConv` on the pool (assembly/qu8-conv.ts): x quantized to
 * centred i16 by one job, then the int8 conv of each (group, tile of columns) by another.
 * Bit-identical to the reference; reductions too long for exact int32 sums take the reference.
 */
export function wasmQuantizedConv(
  x: Float32Array,
  weights: Int8ConvWeights,
  geom: GroupedConv,
  quant: Requantization,
  out: Float32Array,
): void {
  const { rowsPerChannel, outCount } = planeSizes(geom);
  const k = (geom.channels / geom.groups) * rowsPerChannel;
  if (out.length === 0 || k === 0 || k > MAX_K) {
    quantizedConv(x, weights, geom, quant, out);
    return;
  }
  const pack = packedWeights(weights, geom.groups, k);
  const threads = pool();
  const tile = tileColumns(
    geom.batch * outCount,
    geom.groups,
    pack.kPad,
    threads.threads,
    threads.colsBytes,
  );
  const room = new Operands(threads);
  const xAt = room.input(x);
  const qAt = room.room(x.length, 2);
  const weightsAt = room.copyIn(pack.values);
  const biasAt = room.copyIn(pack.bias);
  const multiplierAt = room.copyIn(pack.multiplier);
  const outAt = room.output(out);
  const { input, output } = quant;
  const quantizeJob = [JOB.quantize, x.length, xAt, qAt, f32Word(input.scale), input.zeroPoint];
  threads.run(quantizeJob, 4 * x.length >= PARALLEL_FLOPS);
  threads.run(
    [
      JOB.quantizedConv,
      ...geometryWords(geom),
      qAt,
      weightsAt,
      outAt,
      threads.colsBytes,
      biasAt,
      multiplierAt,
      output.zeroPoint,
      quant.min,
      quant.max,
      f32Word(output.scale),
      tile,
      pack.kPad,
      pack.opgPad,
    ],
    convFlops(geom) >= PARALLEL_FLOPS,
  );
  room.finish();
}
