import type { Module } from '../nn/module.js';
import { Identity } from '../nn/layers/container.js';
import { foldBatchNorm, type FuseOptions } from './fold-batchnorm.js';
import { FusedLayer } from './fused-layer.js';
import { findFusionGroups, isFoldableLayer, isFusableActivation } from './fusion-groups.js';
import { getModule, replaceModule } from './module-tree.js';

/**
 * Prepares a model for inference as `torch.ao.quantization.fuse_modules` does: folds batch norms
 * into the conv or linear before them (`foldBatchNorm`), then merges each conv/linear with the
 * ReLU or ReLU6 right after it into a {@link FusedLayer} (the activation's place gets an
 * Identity). Recognised patterns, in every Sequential and in the zoo's blocks: conv → bn → act,
 * conv → bn, conv → act, linear → bn1d → act, linear → act (see `fusion-groups.ts`); other groups
 * by name through `options.groups`. Eval mode, in place; returns the model.
 *
 * @example
 * const model = fuse(createModel('fashion_cnn')); // features.0 is FusedLayer(Conv2d, ReLU)
 */
export function fuse<M extends Module>(model: M, options: FuseOptions = {}): M {
  // Found before folding: a folded norm leaves an Identity between the layer and its activation.
  const groups = findFusionGroups(model, options.groups, 'fuse');
  foldBatchNorm(model, options);
  for (const group of groups) {
    if (!group.activation) continue;
    const layer = getModule(model, group.layer, 'fuse');
    const activation = getModule(model, group.activation, 'fuse');
    if (!isFoldableLayer(layer) || !isFusableActivation(activation)) continue;
    replaceModule(model, group.layer, new FusedLayer(layer, activation), 'fuse');
    replaceModule(model, group.activation, new Identity(), 'fuse');
  }
  return model.eval();
}
