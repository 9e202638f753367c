/** MatMul, Gemm and Einsum. */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { einsum } from './einsum.js';

/** Gemm: alpha·A'·B' + beta·C, with A' and B' optionally transposed. */
function gemm(ctx: NodeContext): Tensor {
  let a = ctx.input(0, 'A');
  let b = ctx.input(1, 'B');
  if (ctx.int('transA', 0)) a = ops.transpose(a, 0, 1);
  if (ctx.int('transB', 0)) b = ops.transpose(b, 0, 1);
  const [alpha, beta] = [ctx.float('alpha', 1), ctx.float('beta', 1)];
  let y = ops.matmul(a, b);
  if (alpha !== 1) y = ops.mul(y, alpha);
  const c = ctx.inputs[2];
  if (!c || beta === 0) return y;
  return ops.add(y, beta === 1 ? c : ops.mul(c, beta));
}

/** Matrix products. */
export const matmulOps: OnnxOpTable = {
  MatMul: (ctx) => ops.matmul(ctx.input(0, 'A'), ctx.input(1, 'B')),
  Gemm: gemm,
  Einsum: (ctx) =>
    einsum(
      ctx,
      ctx.string('equation', ''),
      ctx.inputs.filter((t): t is Tensor => !!t),
    ),
};
