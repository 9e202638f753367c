import { noGrad } from '../autograd/grad-mode.js';
import type { Module } from '../nn/module.js';
import { buffer, parameter } from '../nn/module.js';
import * as act from '../nn/layers/activation.js';
import { Flatten, Identity } from '../nn/layers/container.js';
import { Conv1d, Conv2d, Conv3d } from '../nn/layers/conv.js';
import * as drop from '../nn/layers/dropout.js';
import { Linear } from '../nn/layers/linear.js';
import * as pool from '../nn/layers/pool.js';
import { indexSelect } from '../ops/slice.js';
import { tensor } from '../tensor/create.js';
import { check } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { normFits, type AnyBatchNorm } from './fusion-groups.js';
import { layerChain, type ChainLink } from './layer-chain.js';
import { InvertedResidual } from '../nn/zoo/mobilenet-v2.js';
import { BasicBlock } from '../nn/zoo/resnet.js';

/** Options of {@link pruneChannels}. */
export interface ChannelPruneOptions {
  /** The fraction of output channels (or hidden features) removed from each prunable layer, in [0, 1). */
  amount: number;
}

/** What {@link pruneChannels} removed: per pruned layer, channels before and after. */
export type ChannelPruneReport = { name: string; before: number; after: number }[];

type Conv = Conv1d | Conv2d | Conv3d;
type Producer = Conv | Linear;

/** Modules that act on each channel on its own, so a removed channel simply passes through. */
const CHANNELWISE = [
  Identity,
  act.ReLU,
  act.ReLU6,
  act.LeakyReLU,
  act.ELU,
  act.SELU,
  act.CELU,
  act.GELU,
  act.SiLU,
  act.Mish,
  act.Hardswish,
  act.Hardsigmoid,
  act.Hardtanh,
  act.Sigmoid,
  act.Tanh,
  act.Softplus,
  act.Softsign,
  act.LogSigmoid,
  pool.MaxPool1d,
  pool.MaxPool2d,
  pool.MaxPool3d,
  pool.AvgPool1d,
  pool.AvgPool2d,
  pool.AvgPool3d,
  pool.AdaptiveAvgPool1d,
  pool.AdaptiveAvgPool2d,
  pool.AdaptiveAvgPool3d,
  pool.AdaptiveMaxPool1d,
  pool.AdaptiveMaxPool2d,
  pool.AdaptiveMaxPool3d,
  drop.Dropout,
  drop.Dropout1d,
  drop.Dropout2d,
  drop.Dropout3d,
];

function isProducer(m: Module): m is Producer {
  const conv = m instanceof Conv1d || m instanceof Conv2d || m instanceof Conv3d;
  return (conv && m.groups === 1) || m instanceof Linear;
}

/** A depthwise conv (one filter per channel): it maps each channel on its own, as a ReLU does. */
function isDepthwise(m: Module, channels: number): m is Conv {
  const conv = m instanceof Conv1d || m instanceof Conv2d || m instanceof Conv3d;
  return conv && m.groups === channels && m.inChannels === channels && m.outChannels === channels;
}

/** The layers whose shapes follow `chain[i]`'s output channels, or null when none reads them. */
interface Followers {
  norms: AnyBatchNorm[];
  /** Depthwise convs on the way (MobileNetV2's), which lose the same channels. */
  depthwise: Conv[];
  /** The next conv or linear and how many of its input features each channel feeds. */
  consumer: Producer;
  block: number;
}

function followersOf(chain: ChainLink[], i: number, producer: Producer): Followers | null {
  const norms: AnyBatchNorm[] = [];
  const depthwise: Conv[] = [];
  let flattened = false;
  for (let j = i + 1; j < chain.length; j++) {
    const m = chain[j].module;
    if (normFits(producer, m)) norms.push(m);
    else if (!flattened && isDepthwise(m, producer.weight.shape[0])) depthwise.push(m);
    else if (m instanceof Flatten && !(producer instanceof Linear)) flattened = true;
    else if (isProducer(m)) {
      const channels = producer.weight.shape[0];
      const inputs = m instanceof Linear ? m.inFeatures : m.inChannels;
      // A conv feeds a linear only through Flatten; then each channel is a block of inputs.
      const valid = m instanceof Linear ? producer instanceof Linear || flattened : !flattened;
      if (!valid || inputs % channels !== 0) return null;
      return { norms, depthwise, consumer: m, block: inputs / channels };
    } else if (!CHANNELWISE.some((cls) => m instanceof cls)) return null;
  }
  return null;
}

/** `t` with only the `keep` entries (in blocks of `block`) of dim `dim`, as a fresh leaf. */
function keepAlong(t: Tensor, dim: number, keep: number[], block = 1): Tensor {
  const index = keep.flatMap((c) => Array.from({ length: block }, (_, r) => c * block + r));
  return noGrad(() => indexSelect(t, dim, tensor(index, { dtype: 'int32' })).detach());
}

/** The channels of `producer` with the largest L1 weight norms, `count` of them, in order. */
function strongestChannels(producer: Producer, count: number): number[] {
  const w = producer.weight;
  const channels = w.shape[0];
  const per = w.size / channels;
  const norms = Array.from({ length: channels }, (_, c) => {
    let s = 0;
    for (let i = c * per; i < (c + 1) * per; i++) s += Math.abs(w.data[i]);
    return s;
  });
  return norms
    .map((n, c) => [n, c] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, count)
    .map(([, c]) => c)
    .sort((a, b) => a - b);
}

/** Removes all but the `keep` output channels of `producer` and the inputs they fed. */
function shrink(producer: Producer, followers: Followers, keep: number[]): void {
  producer.weight = parameter(keepAlong(producer.weight, 0, keep));
  if (producer.bias) producer.bias = parameter(keepAlong(producer.bias, 0, keep));
  Object.assign(
    producer,
    producer instanceof Linear ? { outFeatures: keep.length } : { outChannels: keep.length },
  );
  for (const conv of followers.depthwise) {
    conv.weight = parameter(keepAlong(conv.weight, 0, keep));
    if (conv.bias) conv.bias = parameter(keepAlong(conv.bias, 0, keep));
    Object.assign(conv, { inChannels: keep.length, outChannels: keep.length, groups: keep.length });
  }
  for (const norm of followers.norms) {
    if (norm.weight) norm.weight = parameter(keepAlong(norm.weight, 0, keep));
    if (norm.bias) norm.bias = parameter(keepAlong(norm.bias, 0, keep));
    if (norm.running_mean) norm.running_mean = buffer(keepAlong(norm.running_mean, 0, keep));
    if (norm.running_var) norm.running_var = buffer(keepAlong(norm.running_var, 0, keep));
    Object.assign(norm, { numFeatures: keep.length });
  }
  const { consumer, block } = followers;
  consumer.weight = parameter(keepAlong(consumer.weight, 1, keep, block));
  Object.assign(
    consumer,
    consumer instanceof Linear ? { inFeatures: keep.length * block } : { inChannels: keep.length },
  );
}

/**
 * Structured pruning: removes the `amount` fraction of output channels with the smallest L1 norm
 * from every conv (groups 1) and hidden linear layer of a chain-shaped model, and shrinks what
 * reads them — the batch norms after it and the input channels of the next conv (or the input
 * features of the linear layer after Flatten) — so the model gets really smaller and faster. The
 * last layer (the classes) is kept. Works on Sequential chains and fashion_cnn / small_vgg; in a
 * model with residual blocks (ResNet, MobileNetV2) it prunes inside each block only — the
 * channels between its convs, depthwise convs included — since the channels a block passes on
 * are also read by the addition. Changes the model in place (new parameter tensors: create the
 * optimizer after pruning); fine-tune with `fit` to recover accuracy.
 *
 * @example
 * pruneChannels(model, { amount: 0.5 }); // [{ name: 'features.0', before: 32, after: 16 }, ...]
 */
export function pruneChannels(model: Module, options: ChannelPruneOptions): ChannelPruneReport {
  const { amount } = options;
  check(
    amount >= 0 && amount < 1,
    'pruneChannels',
    () => `amount must be a fraction in [0, 1), got ${amount}`,
  );
  const report: ChannelPruneReport = [];
  for (const chain of prunableChains(model)) {
    chain.forEach(({ name, module }, i) => {
      if (!isProducer(module)) return;
      const followers = followersOf(chain, i, module);
      if (!followers) return;
      const before = module.weight.shape[0];
      const after = Math.max(1, Math.round(before * (1 - amount)));
      if (after === before) return;
      shrink(module, followers, strongestChannels(module, after));
      report.push({ name, before, after });
    });
  }
  return report;
}

/**
 * The chains whose inner channels may go: the whole model when it is a chain, else the inside of
 * each residual block — ResNet's BasicBlock (conv1 → bn1 → ReLU → conv2) and MobileNetV2's
 * InvertedResidual (expand → depthwise → project) — whose ends (the channels the addition reads)
 * stay.
 */
function prunableChains(model: Module): ChainLink[][] {
  const blocks = model
    .namedModules()
    .filter(([, m]) => m instanceof BasicBlock || m instanceof InvertedResidual);
  if (blocks.length === 0) return [layerChain(model, 'pruneChannels')];
  const qualify = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);
  return blocks.map(([prefix, block]) =>
    block instanceof BasicBlock
      ? (['conv1', 'bn1', 'relu', 'conv2'] as const).map((name) => ({
          name: qualify(prefix, name),
          module: block[name],
        }))
      : layerChain((block as InvertedResidual).conv, 'pruneChannels').map((link) => ({
          name: qualify(qualify(prefix, 'conv'), link.name),
          module: link.module,
        })),
  );
}
