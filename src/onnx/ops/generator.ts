/** Operators that make tensors from attributes or shapes: Constant, ConstantOfShape, Range. */
import { full, tensor } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { checkedElementCount } from '../tensor-proto.js';

/** Constant: its value from whichever value attribute the node has. */
function constant(ctx: NodeContext): Tensor {
  const t = ctx.tensor('value');
  if (t) return t;
  if (ctx.has('value_float'))
    return new Tensor(Float32Array.of(ctx.float('value_float', 0)), [], 'float32');
  if (ctx.has('value_int')) return new Tensor(Int32Array.of(ctx.int('value_int', 0)), [], 'int32');
  const floats = ctx.floats('value_floats');
  if (floats) return new Tensor(Float32Array.from(floats), [floats.length], 'float32');
  const ints = ctx.ints('value_ints');
  if (ints) return new Tensor(Int32Array.from(ints), [ints.length], 'int32');
  throw ctx.error(
    'needs a value, value_float(s) or value_int(s) attribute (sparse and string values are not supported)',
  );
}

/** ConstantOfShape: a tensor of the given shape filled with `value` (default float 0). */
function constantOfShape(ctx: NodeContext): Tensor {
  const shape = ctx.values(0) ?? [];
  checkedElementCount(shape, `${ctx.source.file}: node ${ctx.label}`);
  const value = ctx.tensor('value');
  return full(shape, value ? value.data[0] : 0, { dtype: value?.dtype ?? 'float32' });
}

/** Range: start, start + delta, ... before limit. */
function range(ctx: NodeContext): Tensor {
  const start = ctx.input(0, 'start');
  const [from, limit, delta] = [0, 1, 2].map((i) => ctx.values(i)?.[0] ?? 0);
  ctx.check(delta !== 0, () => 'delta must not be 0');
  const count = Math.max(0, Math.ceil((limit - from) / delta));
  return tensor(
    Array.from({ length: count }, (_, i) => from + i * delta),
    { dtype: start.dtype },
  );
}

/** Tensor-making operators. */
export const generatorOps: OnnxOpTable = {
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
};
