import { noGrad } from '../autograd/grad-mode.js';
import type { Module } from '../nn/module.js';
import { parameter } from '../nn/module.js';
import { Identity } from '../nn/layers/container.js';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../nn/layers/conv.js';
import { Linear } from '../nn/layers/linear.js';
import { zeros } from '../tensor/create.js';
import { check } from '../tensor/errors.js';
import {
  findFusionGroups,
  isFoldableLayer,
  normFits,
  type AnyBatchNorm,
  type FoldableLayer,
} from './fusion-groups.js';
import { getModule, replaceModule } from './module-tree.js';

/** Options of {@link foldBatchNorm} and {@link fuse}. */
export interface FuseOptions {
  /**
   * Extra groups by dotted module name, as `fuse_modules` takes them, for custom modules with
   * named children: `[['block.conv', 'block.bn', 'block.relu']]`. Sequentials and the zoo's
   * blocks are found without them.
   */
  groups?: readonly (readonly string[])[];
}

/** The output channel of each weight element (ConvTranspose weights are [C_in, C_out/groups, ...k]). */
function outputChannelOf(layer: FoldableLayer): (flat: number) => number {
  const w = layer.weight;
  const transposed =
    layer instanceof ConvTranspose1d ||
    layer instanceof ConvTranspose2d ||
    layer instanceof ConvTranspose3d;
  if (!transposed) {
    const block = w.size / w.shape[0];
    return (flat) => Math.floor(flat / block);
  }
  const [inChannels, outPerGroup] = w.shape;
  const kernel = w.size / (inChannels * outPerGroup);
  const inPerGroup = inChannels / layer.groups;
  return (flat) => {
    const row = Math.floor(flat / (outPerGroup * kernel));
    const column = Math.floor(flat / kernel) % outPerGroup;
    return Math.floor(row / inPerGroup) * outPerGroup + column;
  };
}

/** The number of output channels (features) of a conv or linear layer. */
function outputChannels(layer: FoldableLayer): number {
  return layer instanceof Linear ? layer.outFeatures : layer.outChannels;
}

/**
 * Folds eval-mode `norm` into `layer` in place: with s = γ / √(running_var + ε), every weight of
 * output channel c is scaled by s[c] and the bias becomes (b[c] − running_mean[c])·s[c] + β[c]
 * (created when the layer had none).
 */
function foldInto(layer: FoldableLayer, norm: AnyBatchNorm, name: string): void {
  const channels = outputChannels(layer);
  const { running_mean: mean, running_var: variance } = norm;
  check(
    mean !== null && variance !== null,
    'foldBatchNorm',
    () =>
      `${name} (${norm.constructor.name}) has no running statistics (trackRunningStats false): it normalises with each batch's statistics, which no fixed weights can reproduce`,
  );
  check(
    norm.numFeatures === channels,
    'foldBatchNorm',
    () =>
      `${name} (${norm.constructor.name}) normalises ${norm.numFeatures} channels but the layer before it has ${channels} outputs`,
  );
  const scale = Float64Array.from(
    { length: channels },
    (_, c) => (norm.weight ? norm.weight.data[c] : 1) / Math.sqrt(variance.data[c] + norm.eps),
  );
  noGrad(() => {
    const w = layer.weight.data;
    const channelOf = outputChannelOf(layer);
    for (let i = 0; i < w.length; i++) w[i] *= scale[channelOf(i)];
    layer.bias ??= parameter(zeros([channels], { dtype: layer.weight.dtype }));
    const b = layer.bias.data;
    for (let c = 0; c < channels; c++) {
      b[c] = (b[c] - mean.data[c]) * scale[c] + (norm.bias ? norm.bias.data[c] : 0);
    }
  });
}

/**
 * Folds every batch norm that directly follows a conv (Conv1d/2d/3d, ConvTranspose1d/2d/3d) or
 * a Linear (BatchNorm1d on [N, C] outputs) into that layer's weight and bias, and puts an
 * Identity in the batch norm's place — PyTorch's conv-bn fusion for inference. The model is put in
 * eval mode and changed in place (it is returned too); in eval mode its outputs are unchanged up
 * to float rounding, with one layer fewer to run and 2 parameters (4 state-dict tensors) fewer
 * per channel. Which pairs are found: see `fusion-groups.ts` (every Sequential, the zoo's blocks,
 * and `options.groups`). Folding twice is harmless: a folded norm is an Identity.
 *
 * @example
 * const model = createModel('fashion_cnn');
 * foldBatchNorm(model); // features.1 and features.5 are now Identity
 */
export function foldBatchNorm<M extends Module>(model: M, options: FuseOptions = {}): M {
  model.eval();
  for (const group of findFusionGroups(model, options.groups, 'foldBatchNorm')) {
    if (!group.norm) continue;
    const layer = getModule(model, group.layer, 'foldBatchNorm');
    const norm = getModule(model, group.norm, 'foldBatchNorm');
    if (!isFoldableLayer(layer) || !normFits(layer, norm)) continue;
    foldInto(layer, norm, group.norm);
    replaceModule(model, group.norm, new Identity().eval(), 'foldBatchNorm');
  }
  return model;
}
