/**
 * Cast and CastLike, on fovea's dtypes (see tensor-proto.ts for the mapping): casts to FLOAT16
 * round each value to half precision and casts to BFLOAT16 truncate it (both kept in float32); integer types go to int32, BOOL
 * to uint8 (0/1).
 */
import { roundHalfEven } from '../../backend/round.js';
import { record } from '../../autograd/node.js';
import * as ops from '../../ops/index.js';
import { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { OnnxDataType } from '../proto.js';
import { dtypeForOnnx } from '../tensor-proto.js';

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** Truncates a float32 to bfloat16 (its top 16 bits), as ONNX's reference casts. */
function truncateToBfloat16(v: number): number {
  scratch[0] = v;
  scratchBits[0] &= 0xffff0000;
  return scratch[0];
}

/** Rounds a number to IEEE half precision (nearest even; overflow to ±Infinity). */
function roundToHalf(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const magnitude = Math.abs(v);
  const exponent = Math.max(Math.floor(Math.log2(magnitude)), -14);
  const quantum = 2 ** (exponent - 10);
  const rounded = roundHalfEven(magnitude / quantum) * quantum;
  return Math.sign(v) * (rounded >= 65520 ? Infinity : rounded);
}

const rounding: Partial<Record<number, (v: number) => number>> = {
  [OnnxDataType.FLOAT16]: roundToHalf,
  [OnnxDataType.BFLOAT16]: truncateToBfloat16,
};

/** Casts x to ONNX element type `to`. */
function castTo(ctx: NodeContext, x: Tensor, to: number): Tensor {
  const dtype = dtypeForOnnx(to, `${ctx.source.file}: node ${ctx.label}`);
  if (to === OnnxDataType.BOOL) return ops.ne(x, 0);
  const round = rounding[to];
  const out = ops.cast(x, dtype);
  return round ? applyRounding(out, round) : out;
}

/** Rounds every value, passing the gradient straight through (as a cast to lower precision). */
function applyRounding(x: Tensor, round: (v: number) => number): Tensor {
  const rounded = new Tensor(Float32Array.from(x.data, round), x.shape, 'float32');
  return record('Cast', rounded, [x], (g) => [g]);
}

/** Type operators. */
export const typeOps: OnnxOpTable = {
  Cast: (ctx) => castTo(ctx, ctx.input(0), ctx.int('to', OnnxDataType.FLOAT)),
  CastLike: (ctx) => ops.cast(ctx.input(0), ctx.input(1, 'target_type').dtype),
};
