/**
 * ONNX export rules of the elementwise, shape and reduction ops: each traced op name → the nodes
 * that compute it.
 */
import { promoteTypes, type DType } from '../backend/dtype.js';
import { OnnxDataType } from './proto.js';
import { onnxType } from './export-graph.js';
import {
  attr,
  exportError,
  inputTensor,
  outputType,
  type ExportContext,
  type ExportRule,
} from './export-context.js';

/** Larger than any dim: a Slice end that means "to the end", whatever the batch size. */
const TO_THE_END = 2 ** 31 - 1;

/** A node of `opType` reading every input as the output's element type. */
function sameType(opType: string): ExportRule {
  return (ctx) => {
    const type = outputType(ctx);
    return ctx.graph.op(
      opType,
      ctx.op.inputs.map((_, i) => ctx.input(i, type)),
      {},
      type,
    );
  };
}

/** A comparison: both inputs as their promoted type, a boolean output (negated for `ne`). */
function comparison(opType: string, negate = false): ExportRule {
  return (ctx) => {
    const dtype: DType = promoteTypes(inputTensor(ctx, 0).dtype, inputTensor(ctx, 1).dtype);
    const type = onnxType(dtype);
    const out = ctx.graph.op(
      opType,
      [ctx.input(0, type), ctx.input(1, type)],
      {},
      OnnxDataType.BOOL,
    );
    return negate ? ctx.graph.op('Not', [out]) : out;
  };
}

/** A one-input node with fixed attributes. */
function unary(opType: string, attributes: Record<string, number | { float: number }> = {}) {
  return (ctx: ExportContext) => ctx.graph.op(opType, [ctx.input(0)], attributes);
}

/** A scalar of the output's type. */
function scalar(ctx: ExportContext, value: number): string {
  return ctx.graph.constant([value], outputType(ctx));
}

/**
 * A reduction over `axes`: opsets 18+ (13+ for ReduceSum) take the axes as an input, earlier ones
 * as an attribute.
 */
function reduce(ctx: ExportContext, opType: string, axes: readonly number[], keepdim: boolean) {
  const axesAsInput = ctx.opset >= (opType === 'ReduceSum' ? 13 : 18);
  const keepdims = keepdim ? 1 : 0;
  return axesAsInput
    ? ctx.graph.op(opType, [ctx.input(0), ctx.graph.int64s(axes)], { keepdims })
    : ctx.graph.op(opType, [ctx.input(0)], { axes, keepdims });
}

function reduction(opType: string): ExportRule {
  return (ctx) => reduce(ctx, opType, attr(ctx, 'axes'), attr(ctx, 'keepdim'));
}

/** ArgMax/ArgMin (int64 in ONNX, int32 in fovea); axis null reads the flattened tensor. */
function argReduction(opType: string): ExportRule {
  return (ctx) => {
    const g = ctx.graph;
    const axis = attr<number | null>(ctx, 'axis');
    const keepdim = attr<boolean>(ctx, 'keepdim');
    const x = axis === null ? g.op('Reshape', [ctx.input(0), g.int64s([-1])]) : ctx.input(0);
    const keepdims = keepdim && axis !== null ? 1 : 0;
    const index = g.op(opType, [x], { axis: axis ?? 0, keepdims }, OnnxDataType.INT64);
    const ones = inputTensor(ctx, 0).shape.map(() => 1);
    const shaped = axis === null && keepdim ? g.op('Reshape', [index, g.int64s(ones)]) : index;
    return g.as(shaped, outputType(ctx));
  };
}

/**
 * Reshape to the traced output shape, with dim 0 left to the input so the graph takes any batch
 * size: 0 ("copy") where dim 0 is kept, else −1 (inferred), which is right when only dim 0
 * depends on the batch ([N, C, H, W] → [N·G, C/G·H·W] as well as a weight's [C] → [C, 1, 1]).
 */
const reshape: ExportRule = (ctx) => {
  const from = inputTensor(ctx, 0).shape;
  const to = ctx.op.output.shape;
  const target = to.length === 0 ? [] : [from[0] === to[0] ? 0 : -1, ...to.slice(1)];
  return ctx.graph.op('Reshape', [ctx.input(0), ctx.graph.int64s(target)]);
};

/** Expand to the output shape, with 1 wherever the input already has the size (e.g. the batch). */
const expand: ExportRule = (ctx) => {
  const from = inputTensor(ctx, 0).shape;
  const to = ctx.op.output.shape;
  const offset = to.length - from.length;
  const target = to.map((d, i) => (i >= offset && from[i - offset] === d ? 1 : d));
  return ctx.graph.op('Expand', [ctx.input(0), ctx.graph.int64s(target)]);
};

const slice: ExportRule = (ctx) => {
  const g = ctx.graph;
  const axis = attr<number>(ctx, 'axis');
  const end = attr<number>(ctx, 'end');
  const toEnd = end === inputTensor(ctx, 0).shape[axis];
  const ends = g.int64s([toEnd ? TO_THE_END : end]);
  const starts = g.int64s([attr<number>(ctx, 'start')]);
  return g.op('Slice', [
    ctx.input(0),
    starts,
    ends,
    g.int64s([axis]),
    g.int64s([attr(ctx, 'step')]),
  ]);
};

const padModes: Record<string, string> = {
  constant: 'constant',
  reflect: 'reflect',
  replicate: 'edge',
};

/** F.pad's (before, after) pairs from the last dim backwards → ONNX's [befores..., afters...]. */
const pad: ExportRule = (ctx) => {
  const g = ctx.graph;
  const amounts = attr<number[]>(ctx, 'pad');
  const mode = attr<string>(ctx, 'mode');
  const rank = inputTensor(ctx, 0).ndim;
  const before = new Array<number>(rank).fill(0);
  const after = new Array<number>(rank).fill(0);
  for (let p = 0; p < amounts.length / 2; p++) {
    before[rank - 1 - p] = amounts[2 * p];
    after[rank - 1 - p] = amounts[2 * p + 1];
  }
  const onnxMode = mode === 'circular' && ctx.opset >= 19 ? 'wrap' : padModes[mode];
  if (onnxMode === undefined) {
    throw exportError(
      ctx,
      `mode '${mode}' needs opset 19 or later (ONNX Pad 'wrap'), got ${ctx.opset}`,
    );
  }
  const value = onnxMode === 'constant' ? scalar(ctx, attr<number>(ctx, 'value')) : '';
  return g.op('Pad', [ctx.input(0), g.int64s([...before, ...after]), value], { mode: onnxMode });
};

/** x.clamp(min, max) → Clip with the bounds as scalars of x's type ('' for a missing one). */
const clamp: ExportRule = (ctx) => {
  const bound = (key: string) => {
    const value = attr<number | undefined>(ctx, key);
    return value === undefined ? '' : scalar(ctx, value);
  };
  return ctx.graph.op('Clip', [ctx.input(0), bound('min'), bound('max')]);
};

/** The rules of elementwise, comparison, shape and reduction ops, by traced op name. */
export const tensorRules: Readonly<Record<string, ExportRule>> = {
  add: sameType('Add'),
  sub: sameType('Sub'),
  mul: sameType('Mul'),
  div: sameType('Div'),
  pow: sameType('Pow'),
  maximum: sameType('Max'),
  minimum: sameType('Min'),
  matmul: sameType('MatMul'),
  concat: (ctx) =>
    ctx.graph.op(
      'Concat',
      ctx.op.inputs.map((_, i) => ctx.input(i, outputType(ctx))),
      { axis: attr(ctx, 'axis') },
    ),
  eq: comparison('Equal'),
  ne: comparison('Equal', true),
  lt: comparison('Less'),
  le: comparison('LessOrEqual'),
  gt: comparison('Greater'),
  ge: comparison('GreaterOrEqual'),
  where: (ctx) => {
    const type = outputType(ctx);
    const cond = ctx.input(0, OnnxDataType.BOOL);
    return ctx.graph.op('Where', [cond, ctx.input(1, type), ctx.input(2, type)], {}, type);
  },
  cast: (ctx) => ctx.graph.as(ctx.input(0), outputType(ctx)),
  neg: unary('Neg'),
  abs: unary('Abs'),
  sign: unary('Sign'),
  exp: unary('Exp'),
  expm1: (ctx) => ctx.graph.op('Sub', [ctx.graph.op('Exp', [ctx.input(0)]), scalar(ctx, 1)]),
  log: unary('Log'),
  log1p: (ctx) => ctx.graph.op('Log', [ctx.graph.op('Add', [ctx.input(0), scalar(ctx, 1)])]),
  sqrt: unary('Sqrt'),
  reciprocal: unary('Reciprocal'),
  sin: unary('Sin'),
  cos: unary('Cos'),
  tanh: unary('Tanh'),
  sigmoid: unary('Sigmoid'),
  erf: unary('Erf'),
  floor: unary('Floor'),
  ceil: unary('Ceil'),
  round: unary('Round'),
  clamp,
  reshape,
  expand,
  slice,
  pad,
  indexSelect: (ctx) =>
    ctx.graph.op('Gather', [ctx.input(0), ctx.input(1, OnnxDataType.INT32)], {
      axis: attr(ctx, 'axis'),
    }),
  permute: (ctx) => ctx.graph.op('Transpose', [ctx.input(0)], { perm: attr(ctx, 'axes') }),
  sum: reduction('ReduceSum'),
  mean: reduction('ReduceMean'),
  max: reduction('ReduceMax'),
  min: reduction('ReduceMin'),
  logsumexp: reduction('ReduceLogSumExp'),
  argmax: argReduction('ArgMax'),
  argmin: argReduction('ArgMin'),
};
