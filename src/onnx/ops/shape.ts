/**
 * Shape and layout operators: reshapes, transposes, concatenation and splitting, slicing,
 * padding, broadcasting, tiling, gathering, depth/space rearrangement. Everything that moves data
 * goes through fovea ops (or one index map per axis), so gradients flow.
 */
import * as ops from '../../ops/index.js';
import { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { axisOf, padPairs, takeAlong, toFoveaPad } from './util.js';

/** An attribute before opset `since`, an input from it on (Squeeze's axes, Split's split...). */
function attributeOrInput(
  ctx: NodeContext,
  name: string,
  input: number,
  since: number,
): number[] | undefined {
  return ctx.opset < since ? ctx.ints(name) : ctx.values(input);
}

/** Reshape: 0 copies the input's dim (unless allowzero), −1 is inferred. */
function reshape(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const shape = ctx.opset < 5 ? (ctx.ints('shape') ?? []) : (ctx.values(1) ?? []);
  const allowZero = ctx.int('allowzero', 0) === 1;
  const target = shape.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d));
  ctx.check(
    target.filter((d) => d === -1).length <= 1,
    () => `shape [${shape}] has more than one −1`,
  );
  ctx.check(
    target.every((d) => d >= -1),
    () => `shape [${shape}] has a negative dim other than −1`,
  );
  const known = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const resolved = target.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  ctx.check(
    resolved.reduce((a, b) => a * b, 1) === x.size && resolved.every(Number.isInteger),
    () => `cannot reshape [${x.shape}] (${x.size} elements) to [${shape}]`,
  );
  return ops.reshape(x, resolved);
}

function flatten(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const axis = ctx.int('axis', 1);
  const at = axis < 0 ? axis + x.ndim : axis;
  ctx.check(at >= 0 && at <= x.ndim, () => `axis ${axis} is out of range for rank ${x.ndim}`);
  const rows = x.shape.slice(0, at).reduce((a, b) => a * b, 1);
  return ops.reshape(x, [rows, rows === 0 ? 0 : x.size / rows]);
}

function squeeze(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const given = attributeOrInput(ctx, 'axes', 1, 13);
  const axes = given
    ? given.map((a) => axisOf(ctx, a, x.ndim))
    : x.shape.flatMap((n, i) => (n === 1 ? [i] : []));
  ctx.check(
    axes.every((a) => x.shape[a] === 1),
    () => `cannot squeeze axes [${given}] of shape [${x.shape}]: not all are 1`,
  );
  return ops.reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

function unsqueeze(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const given = attributeOrInput(ctx, 'axes', 1, 13) ?? [];
  const rank = x.ndim + given.length;
  const axes = given.map((a) => axisOf(ctx, a, rank));
  ctx.check(new Set(axes).size === axes.length, () => `axes [${given}] repeat an axis`);
  const dims = [...x.shape];
  const shape = Array.from({ length: rank }, (_, i) =>
    axes.includes(i) ? 1 : (dims.shift() as number),
  );
  return ops.reshape(x, shape);
}

function shape(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const clampAxis = (a: number) => Math.min(x.ndim, Math.max(0, a < 0 ? a + x.ndim : a));
  const dims = x.shape.slice(clampAxis(ctx.int('start', 0)), clampAxis(ctx.int('end', x.ndim)));
  return new Tensor(Int32Array.from(dims), [dims.length], 'int32');
}

function split(ctx: NodeContext): Tensor[] {
  const x = ctx.input(0);
  const axis = axisOf(ctx, ctx.int('axis', 0), x.ndim);
  const n = x.shape[axis];
  const count = ctx.has('num_outputs') ? ctx.int('num_outputs', 1) : (ctx.node.output ?? []).length;
  const sizes =
    attributeOrInput(ctx, 'split', 1, 13) ??
    Array.from({ length: count }, (_, i) =>
      Math.min(Math.ceil(n / count), Math.max(0, n - i * Math.ceil(n / count))),
    );
  ctx.check(
    sizes.reduce((a, b) => a + b, 0) === n,
    () => `split sizes [${sizes}] do not add up to dim ${axis} of shape [${x.shape}]`,
  );
  let start = 0;
  return sizes.map((size) => {
    const part = ops.narrow(x, axis, start, size);
    start += size;
    return part;
  });
}

/** The positions `start, start + step, ...` a Slice reads along an axis of size n, clamped as ONNX. */
function slicePositions(n: number, start: number, end: number, step: number): number[] {
  const resolve = (i: number) => (i < 0 ? i + n : i);
  const [lo, hi] = step > 0 ? [0, n] : [-1, n - 1];
  const s = Math.min(step > 0 ? n : n - 1, Math.max(0, resolve(start)));
  const e = Math.min(hi, Math.max(lo, resolve(end)));
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

function slice(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const fromInputs = ctx.opset >= 10;
  const starts = (fromInputs ? ctx.values(1) : ctx.ints('starts')) ?? [];
  const ends = (fromInputs ? ctx.values(2) : ctx.ints('ends')) ?? [];
  const axes = (fromInputs ? ctx.values(3) : ctx.ints('axes')) ?? starts.map((_, i) => i);
  const steps = (fromInputs ? ctx.values(4) : undefined) ?? starts.map(() => 1);
  ctx.check(
    ends.length === starts.length &&
      axes.length === starts.length &&
      steps.length === starts.length,
    () =>
      `starts, ends, axes and steps must have the same length, got [${starts}], [${ends}], [${axes}], [${steps}]`,
  );
  return starts.reduce((out, start, i) => {
    const axis = axisOf(ctx, axes[i], x.ndim);
    ctx.check(steps[i] !== 0, () => 'steps must not be 0');
    return takeAlong(out, axis, slicePositions(out.shape[axis], start, ends[i], steps[i]), 'Slice');
  }, x);
}

const padModes = {
  constant: 'constant',
  reflect: 'reflect',
  edge: 'replicate',
  wrap: 'circular',
} as const;

function pad(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const mode = ctx.string('mode', 'constant');
  ctx.check(
    Object.hasOwn(padModes, mode),
    () => `mode must be constant, reflect, edge or wrap, got '${mode}'`,
  );
  const pads = (ctx.opset < 11 ? ctx.ints('pads') : ctx.values(1)) ?? [];
  const value = ctx.opset < 11 ? ctx.float('value', 0) : (ctx.values(2)?.[0] ?? 0);
  const axes = (ctx.values(3) ?? x.shape.map((_, i) => i)).map((a) => axisOf(ctx, a, x.ndim));
  ctx.check(
    pads.length === 2 * axes.length,
    () => `pads [${pads}] needs ${2 * axes.length} values`,
  );
  const given = padPairs(pads);
  const pairs = x.shape.map((_, i): [number, number] =>
    axes.includes(i) ? given[axes.indexOf(i)] : [0, 0],
  );
  return ops.pad(x, toFoveaPad(pairs), { mode: padModes[mode as keyof typeof padModes], value });
}

function expand(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const target = ctx.values(1) ?? [];
  const rank = Math.max(x.ndim, target.length);
  const at = (s: readonly number[], i: number) => s[s.length - rank + i] ?? 1;
  const shape = Array.from({ length: rank }, (_, i) => {
    const [a, b] = [at(x.shape, i), at(target, i)];
    ctx.check(
      a === b || a === 1 || b === 1,
      () => `cannot broadcast shape [${x.shape}] to [${target}]`,
    );
    return a === 1 ? b : a;
  });
  return ops.expand(
    ops.reshape(
      x,
      x.shape.length < rank ? [...new Array<number>(rank - x.ndim).fill(1), ...x.shape] : x.shape,
    ),
    shape,
  );
}

function tile(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const repeats = ctx.values(1) ?? [];
  ctx.check(repeats.length === x.ndim, () => `repeats [${repeats}] needs ${x.ndim} values`);
  return repeats.reduce((out, r, axis) => {
    const n = x.shape[axis];
    return r === 1
      ? out
      : takeAlong(
          out,
          axis,
          Array.from({ length: n * r }, (_, i) => i % n),
          'Tile',
        );
  }, x);
}

function gather(ctx: NodeContext): Tensor {
  const [x, indices] = [ctx.input(0), ctx.input(1, 'indices')];
  const axis = axisOf(ctx, ctx.int('axis', 0), x.ndim);
  const n = x.shape[axis];
  const source = Array.from(indices.data, (i) => {
    ctx.check(i >= -n && i < n, () => `index ${i} is out of range for dim ${axis} of size ${n}`);
    return i < 0 ? i + n : i;
  });
  const taken = takeAlong(x, axis, source, 'Gather');
  return ops.reshape(taken, [
    ...x.shape.slice(0, axis),
    ...indices.shape,
    ...x.shape.slice(axis + 1),
  ]);
}

function depthToSpace(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const b = ctx.int('blocksize', 1);
  const [n, c, h, w] = x.shape;
  ctx.check(
    x.ndim === 4 && c % (b * b) === 0,
    () => `input must be [N, C, H, W] with C divisible by ${b * b}, got [${x.shape}]`,
  );
  const crd = ctx.string('mode', 'DCR') === 'CRD';
  const split = crd ? [n, c / (b * b), b, b, h, w] : [n, b, b, c / (b * b), h, w];
  const order = crd ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2];
  return ops.reshape(ops.permute(ops.reshape(x, split), order), [n, c / (b * b), h * b, w * b]);
}

function spaceToDepth(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const b = ctx.int('blocksize', 1);
  const [n, c, h, w] = x.shape;
  ctx.check(
    x.ndim === 4 && h % b === 0 && w % b === 0,
    () => `input must be [N, C, H, W] with H and W divisible by ${b}, got [${x.shape}]`,
  );
  const blocks = ops.permute(ops.reshape(x, [n, c, h / b, b, w / b, b]), [0, 3, 5, 1, 2, 4]);
  return ops.reshape(blocks, [n, c * b * b, h / b, w / b]);
}

/** Shape and layout operators. */
export const shapeOps: OnnxOpTable = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: (ctx) => {
    const x = ctx.input(0);
    return ops.permute(
      x,
      ctx.ints(
        'perm',
        x.shape.map((_, i) => x.ndim - 1 - i),
      ),
    );
  },
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Shape: shape,
  Size: (ctx) => new Tensor(Int32Array.of(ctx.input(0).size), [], 'int32'),
  Concat: (ctx) => {
    const inputs = ctx.inputs.filter((t): t is Tensor => t !== undefined);
    return ops.concat(inputs, axisOf(ctx, ctx.int('axis', 0), inputs[0]?.ndim ?? 1));
  },
  Split: split,
  Slice: slice,
  Pad: pad,
  Expand: expand,
  Tile: tile,
  Gather: gather,
  DepthToSpace: depthToSpace,
  SpaceToDepth: spaceToDepth,
};
