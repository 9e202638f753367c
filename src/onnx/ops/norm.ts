/**
 * Normalization operators and Dropout. BatchNormalization and Dropout follow the model's
 * train()/eval() mode (a Dropout node's explicit training_mode input wins over it).
 */
import * as ops from '../../ops/index.js';
import { onesLike, rand } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { MersenneTwister } from './mersenne-twister.js';
import { axisOf } from './util.js';

/**
 * BatchNormalization. In eval mode it normalises with the running mean and variance. In training
 * mode it normalises with the batch's statistics, updates the mean and variance inputs in place as
 * PyTorch does (unbiased variance, PyTorch momentum = 1 − ONNX momentum), and returns ONNX's
 * running_mean and running_var outputs (biased batch variance, as the specification computes them).
 */
function batchNormalization(ctx: NodeContext): (Tensor | undefined)[] {
  const [x, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((i) => ctx.input(i));
  const eps = ctx.float('epsilon', 1e-5);
  if (!ctx.training) return [ops.batchNorm(x, mean, variance, { weight: scale, bias, eps })];
  const momentum = ctx.float('momentum', 0.9);
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const batchMean = ops.mean(x.detach(), axes);
  const batchVar = ops.variance(x.detach(), axes, { correction: 0 });
  const runningMean = ops.add(ops.mul(mean, momentum), ops.mul(batchMean, 1 - momentum));
  const runningVar = ops.add(ops.mul(variance, momentum), ops.mul(batchVar, 1 - momentum));
  const y = ops.batchNorm(x, mean, variance, {
    weight: scale,
    bias,
    eps,
    training: true,
    momentum: 1 - momentum,
  });
  return [y, runningMean, runningVar];
}

/** LayerNormalization over the dims from `axis` on, with its optional Mean and InvStdDev outputs. */
function layerNormalization(ctx: NodeContext): Tensor[] {
  const x = ctx.input(0);
  const axis = axisOf(ctx, ctx.int('axis', -1), x.ndim);
  const axes = x.shape.map((_, i) => i).slice(axis);
  const mean = ops.mean(x, axes, true);
  const centered = ops.sub(x, mean);
  const invStd = ops.reciprocal(
    ops.sqrt(
      ops.add(ops.mean(ops.mul(centered, centered), axes, true), ctx.float('epsilon', 1e-5)),
    ),
  );
  let y = ops.mul(ops.mul(centered, invStd), ctx.input(1, 'Scale'));
  const bias = ctx.inputs[2];
  if (bias) y = ops.add(y, bias);
  return [y, mean, invStd];
}

/** MeanVarianceNormalization: (x − mean) / (std + 1e-9) over `axes` (default [0, 2, 3]). */
function meanVarianceNormalization(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const axes = ctx.ints('axes', [0, 2, 3]).map((a) => axisOf(ctx, a, x.ndim));
  const centered = ops.sub(x, ops.mean(x, axes, true));
  const std = ops.sqrt(ops.mean(ops.mul(centered, centered), axes, true));
  return ops.div(centered, ops.add(std, 1e-9));
}

/**
 * Dropout: ratio and training_mode are inputs from opset 12 (attribute ratio before). Returns the
 * output and the mask (1 where kept). The mask comes from fovea's seeded generator, or, when the
 * node has a `seed` attribute, from NumPy's generator with that seed (as ONNX's reference).
 */
function dropout(ctx: NodeContext): Tensor[] {
  const x = ctx.input(0);
  const ratio = ctx.opset >= 12 ? (ctx.values(1)?.[0] ?? 0.5) : ctx.float('ratio', 0.5);
  const modeInput = ctx.opset >= 12 ? ctx.values(2)?.[0] : undefined;
  const training = modeInput === undefined ? ctx.training : modeInput !== 0;
  if (!training || ratio === 0) return [x, onesLike(x, { dtype: 'uint8' })];
  ctx.check(ratio >= 0 && ratio < 1, () => `ratio must be in [0, 1), got ${ratio}`);
  const uniform = ctx.has('seed') ? numpyUniform(x.shape, ctx.int('seed', 0)) : rand(x.shape);
  const mask = ops.ge(uniform, ratio);
  return [ops.mul(x, ops.mul(ops.cast(mask, x.dtype), 1 / (1 - ratio))), mask];
}

/** Uniform samples in [0, 1) as `np.random.seed(seed); np.random.uniform(0, 1, shape)`. */
function numpyUniform(shape: readonly number[], seed: number): Tensor {
  const generator = new MersenneTwister(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    Float64Array.from({ length: size }, () => generator.nextDouble()),
    shape,
    'float64',
  );
}

/** Normalization operators and Dropout. */
export const normOps: OnnxOpTable = {
  BatchNormalization: batchNormalization,
  InstanceNormalization: (ctx) => {
    const x = ctx.input(0);
    return ops.instanceNorm(x, {
      weight: ctx.input(1, 'scale'),
      bias: ctx.input(2, 'B'),
      eps: ctx.float('epsilon', 1e-5),
    });
  },
  LayerNormalization: layerNormalization,
  LRN: (ctx) =>
    ops.localResponseNorm(ctx.input(0), ctx.int('size', 1), {
      alpha: ctx.float('alpha', 1e-4),
      beta: ctx.float('beta', 0.75),
      k: ctx.float('bias', 1),
    }),
  MeanVarianceNormalization: meanVarianceNormalization,
  Dropout: dropout,
};
