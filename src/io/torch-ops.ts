import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import * as F from '../ops/index.js';

/** A fixture's attrs after snake_case keys became camelCase (`count_include_pad` → `countIncludePad`). */
export type Attrs = Record<string, unknown>;

/** The tensors and attributes of one fixture case, bound for an adapter. */
export interface FixtureArgs {
  /** The first input the case lists: the op's main argument, whatever the case names it. */
  input: Tensor;
  /** The input named `name` (PyTorch's argument name, e.g. 'weight'); throws if absent. */
  get(name: string): Tensor;
  /** The input named `name`, or undefined. */
  opt(name: string): Tensor | undefined;
  /** The case's attrs with camelCase keys. */
  attrs: Attrs;
}

/** Calls the fovea op that matches a torch.nn.functional op, for one fixture case. */
export type Adapter = (args: FixtureArgs) => Tensor;

/**
 * torch.nn.functional op name → the fovea call that computes it. Where fovea's options are the
 * camelCase of PyTorch's keyword arguments, the attrs pass straight through.
 */
export const torchOps: Record<string, Adapter> = {
  // --- core ---
  pad: ({ input, attrs }) => F.pad(input, attrs.pad as number[], attrs as F.PadOptions),
  // --- conv family (conv, conv transpose, unfold/fold, linear) ---
  conv1d: ({ input, get, opt, attrs }) => F.conv1d(input, get('weight'), opt('bias'), attrs),
  conv2d: ({ input, get, opt, attrs }) => F.conv2d(input, get('weight'), opt('bias'), attrs),
  conv3d: ({ input, get, opt, attrs }) => F.conv3d(input, get('weight'), opt('bias'), attrs),
  conv_transpose1d: ({ input, get, opt, attrs }) =>
    F.convTranspose1d(input, get('weight'), opt('bias'), attrs),
  conv_transpose2d: ({ input, get, opt, attrs }) =>
    F.convTranspose2d(input, get('weight'), opt('bias'), attrs),
  conv_transpose3d: ({ input, get, opt, attrs }) =>
    F.convTranspose3d(input, get('weight'), opt('bias'), attrs),
  unfold: ({ input, attrs }) => F.unfold(input, attrs as unknown as F.UnfoldOptions),
  fold: ({ input, attrs }) => F.fold(input, attrs as unknown as F.FoldOptions),
  linear: ({ input, get, opt }) => F.linear(input, get('weight'), opt('bias')),
  // --- pooling family ---
  max_pool1d: ({ input, attrs }) =>
    F.maxPool1d(input, { ...(attrs as unknown as F.MaxPoolOptions), returnIndices: false }),
  max_pool2d: ({ input, attrs }) =>
    F.maxPool2d(input, { ...(attrs as unknown as F.MaxPoolOptions), returnIndices: false }),
  max_pool3d: ({ input, attrs }) =>
    F.maxPool3d(input, { ...(attrs as unknown as F.MaxPoolOptions), returnIndices: false }),
  avg_pool1d: ({ input, attrs }) => F.avgPool1d(input, attrs as unknown as F.AvgPoolOptions),
  avg_pool2d: ({ input, attrs }) => F.avgPool2d(input, attrs as unknown as F.AvgPoolOptions),
  avg_pool3d: ({ input, attrs }) => F.avgPool3d(input, attrs as unknown as F.AvgPoolOptions),
  adaptive_avg_pool1d: ({ input, attrs }) =>
    F.adaptiveAvgPool1d(input, attrs.outputSize as F.AdaptiveOutputSize),
  adaptive_avg_pool2d: ({ input, attrs }) =>
    F.adaptiveAvgPool2d(input, attrs.outputSize as F.AdaptiveOutputSize),
  adaptive_avg_pool3d: ({ input, attrs }) =>
    F.adaptiveAvgPool3d(input, attrs.outputSize as F.AdaptiveOutputSize),
  adaptive_max_pool1d: ({ input, attrs }) =>
    F.adaptiveMaxPool1d(input, attrs.outputSize as F.AdaptiveOutputSize),
  adaptive_max_pool2d: ({ input, attrs }) =>
    F.adaptiveMaxPool2d(input, attrs.outputSize as F.AdaptiveOutputSize),
  adaptive_max_pool3d: ({ input, attrs }) =>
    F.adaptiveMaxPool3d(input, attrs.outputSize as F.AdaptiveOutputSize),
  lp_pool1d: ({ input, attrs }) =>
    F.lpPool1d(input, attrs.normType as number, attrs as unknown as F.LpPoolOptions),
  lp_pool2d: ({ input, attrs }) =>
    F.lpPool2d(input, attrs.normType as number, attrs as unknown as F.LpPoolOptions),
  // --- normalization and dropout family ---
  batch_norm: ({ input, opt, attrs }) =>
    F.batchNorm(input, opt('running_mean') ?? null, opt('running_var') ?? null, {
      ...attrs,
      weight: opt('weight'),
      bias: opt('bias'),
    }),
  instance_norm: ({ input, opt, attrs }) =>
    F.instanceNorm(input, {
      ...attrs,
      runningMean: opt('running_mean'),
      runningVar: opt('running_var'),
      weight: opt('weight'),
      bias: opt('bias'),
    }),
  group_norm: ({ input, opt, attrs }) =>
    F.groupNorm(input, attrs.numGroups as number, {
      ...attrs,
      weight: opt('weight'),
      bias: opt('bias'),
    }),
  layer_norm: ({ input, opt, attrs }) =>
    F.layerNorm(input, attrs.normalizedShape as number[], {
      ...attrs,
      weight: opt('weight'),
      bias: opt('bias'),
    }),
  local_response_norm: ({ input, attrs }) =>
    F.localResponseNorm(input, attrs.size as number, attrs as F.LocalResponseNormOptions),
  // --- activations and losses family ---
  relu: ({ input }) => F.relu(input),
  relu6: ({ input }) => F.relu6(input),
  leaky_relu: ({ input, attrs }) => F.leakyRelu(input, attrs as F.LeakyReluOptions),
  prelu: ({ input, get }) => F.prelu(input, get('weight')),
  elu: ({ input, attrs }) => F.elu(input, attrs as F.EluOptions),
  selu: ({ input }) => F.selu(input),
  celu: ({ input, attrs }) => F.celu(input, attrs as F.EluOptions),
  gelu: ({ input, attrs }) => F.gelu(input, attrs as F.GeluOptions),
  silu: ({ input }) => F.silu(input),
  mish: ({ input }) => F.mish(input),
  hardswish: ({ input }) => F.hardswish(input),
  hardsigmoid: ({ input }) => F.hardsigmoid(input),
  hardtanh: ({ input, attrs }) => F.hardtanh(input, attrs as F.HardtanhOptions),
  sigmoid: ({ input }) => F.sigmoid(input),
  tanh: ({ input }) => F.tanh(input),
  softplus: ({ input, attrs }) => F.softplus(input, attrs as F.SoftplusOptions),
  softsign: ({ input }) => F.softsign(input),
  logsigmoid: ({ input }) => F.logSigmoid(input),
  softmax: ({ input, attrs }) => F.softmax(input, attrs.dim as number | undefined),
  log_softmax: ({ input, attrs }) => F.logSoftmax(input, attrs.dim as number | undefined),
  cross_entropy: ({ input, get, opt, attrs }) =>
    F.crossEntropy(input, get('target'), { ...attrs, weight: opt('weight') }),
  nll_loss: ({ input, get, opt, attrs }) =>
    F.nllLoss(input, get('target'), { ...attrs, weight: opt('weight') }),
  mse_loss: ({ input, get, attrs }) => F.mseLoss(input, get('target'), attrs as F.LossOptions),
  l1_loss: ({ input, get, attrs }) => F.l1Loss(input, get('target'), attrs as F.LossOptions),
  smooth_l1_loss: ({ input, get, attrs }) =>
    F.smoothL1Loss(input, get('target'), attrs as F.SmoothL1LossOptions),
  huber_loss: ({ input, get, attrs }) =>
    F.huberLoss(input, get('target'), attrs as F.HuberLossOptions),
  binary_cross_entropy: ({ input, get, opt, attrs }) =>
    F.binaryCrossEntropy(input, get('target'), { ...attrs, weight: opt('weight') }),
  binary_cross_entropy_with_logits: ({ input, get, opt, attrs }) =>
    F.binaryCrossEntropyWithLogits(input, get('target'), {
      ...attrs,
      weight: opt('weight'),
      posWeight: opt('pos_weight'),
    }),
  // --- resampling family (interpolate, pixel shuffle) ---
  interpolate: ({ input, attrs }) => F.interpolate(input, attrs as F.InterpolateOptions),
  pixel_shuffle: ({ input, attrs }) => F.pixelShuffle(input, attrs.upscaleFactor as number),
  pixel_unshuffle: ({ input, attrs }) => F.pixelUnshuffle(input, attrs.downscaleFactor as number),
};

/** The adapter for a torch op name, or a clear error naming the ops fovea knows. */
export function adapterFor(op: string, source: string): Adapter {
  const adapter = torchOps[op];
  if (!adapter) {
    throw new FoveaError(
      'fixtures',
      `${source}: op '${op}' is not supported (known: ${Object.keys(torchOps).sort().join(', ')})`,
    );
  }
  return adapter;
}
