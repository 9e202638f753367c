/**
 * Which modules of a model fold or fuse together, found as PyTorch users find them for
 * `torch.ao.quantization.fuse_modules`, but without having to list them:
 *
 * - in every Sequential (at any depth), each run of consecutive children
 *   `conv → batch norm → activation`, `conv → batch norm`, `conv → activation`, and the same with
 *   Linear + BatchNorm1d, where conv is Conv1d/2d/3d or ConvTranspose1d/2d/3d (the batch norm of
 *   the same dimensionality) and the activation is ReLU or ReLU6;
 * - in the zoo's blocks whose forward is not a Sequential, the groups written in
 *   `KNOWN_BLOCK_GROUPS` (ResNet's stem conv1 + bn1 + relu, BasicBlock's conv1 + bn1 and
 *   conv2 + bn2; its relu also runs after the residual add, so it stays);
 * - any groups the caller names, by dotted module names as in `fuse_modules`
 *   (`[['layer1.0.conv1', 'layer1.0.bn1']]`), for custom modules with named children.
 */
import type { Module } from '../nn/module.js';
import { ReLU, ReLU6 } from '../nn/layers/activation.js';
import { Sequential } from '../nn/layers/container.js';
import {
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose3d,
} from '../nn/layers/conv.js';
import { Linear } from '../nn/layers/linear.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../nn/layers/norm.js';
import { BasicBlock, ResNet } from '../nn/zoo/resnet.js';
import { FoveaError } from '../tensor/errors.js';
import { getModule, splitName } from './module-tree.js';

/** A layer whose output channels a batch norm can be folded into. */
export type FoldableLayer =
  Conv1d | Conv2d | Conv3d | ConvTranspose1d | ConvTranspose2d | ConvTranspose3d | Linear;

/** A batch norm layer. */
export type AnyBatchNorm = BatchNorm1d | BatchNorm2d | BatchNorm3d;

/** An activation that fuses into a layer (a clamp, so it also folds into int8 requantization). */
export type FusableActivation = ReLU | ReLU6;

/** One group: a layer, then optionally a batch norm, then optionally an activation (dotted names). */
export interface FusionGroup {
  layer: string;
  norm?: string;
  activation?: string;
}

const LAYERS = [Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Linear];

/** The groups of the zoo blocks whose forward is not a Sequential, by child name. */
const KNOWN_BLOCK_GROUPS = new Map<abstract new (...args: never[]) => Module, FusionGroup[]>([
  [ResNet, [{ layer: 'conv1', norm: 'bn1', activation: 'relu' }]],
  [
    BasicBlock,
    [
      { layer: 'conv1', norm: 'bn1' },
      { layer: 'conv2', norm: 'bn2' },
    ],
  ],
]);

/** Whether `m` is a conv or linear layer that folding and fusion handle. */
export function isFoldableLayer(m: Module): m is FoldableLayer {
  return LAYERS.some((cls) => m instanceof cls);
}

/** Whether a layer applies its own activation (its `activation` option): nothing fuses after it. */
export function hasOwnActivation(layer: FoldableLayer): boolean {
  return layer.activation !== null;
}

/** Whether `m` is ReLU or ReLU6. */
export function isFusableActivation(m: Module): m is FusableActivation {
  return m instanceof ReLU || m instanceof ReLU6;
}

/** The number of spatial dims a layer works on (0 for Linear). */
function spatialDims(layer: FoldableLayer): number {
  return layer instanceof Linear ? 0 : layer.weight.ndim - 2;
}

/** Whether `norm` is the batch norm that can follow `layer` (same dimensionality). */
export function normFits(layer: FoldableLayer, norm: Module): norm is AnyBatchNorm {
  const dims = spatialDims(layer);
  if (norm instanceof BatchNorm1d) return dims <= 1;
  if (norm instanceof BatchNorm2d) return dims === 2;
  return norm instanceof BatchNorm3d && dims === 3;
}

/** The groups in one Sequential's children. */
function sequentialGroups(prefix: string, seq: Sequential): FusionGroup[] {
  const children = seq.namedChildren();
  const name = (i: number) => (prefix ? `${prefix}.${children[i][0]}` : children[i][0]);
  const groups: FusionGroup[] = [];
  for (let i = 0; i < children.length; i++) {
    const layer = children[i][1];
    // A norm cannot fold through an activation, and one is already fused.
    if (!isFoldableLayer(layer) || hasOwnActivation(layer)) continue;
    const group: FusionGroup = { layer: name(i) };
    if (i + 1 < children.length && normFits(layer, children[i + 1][1])) group.norm = name(++i);
    if (i + 1 < children.length && isFusableActivation(children[i + 1][1]))
      group.activation = name(++i);
    if (group.norm || group.activation) groups.push(group);
  }
  return groups;
}

/** A group named by the caller, its modules checked. */
function namedGroup(model: Module, names: readonly string[], op: string): FusionGroup {
  const [parent] = splitName(names[0]);
  const modules = names.map((n) => getModule(model, n, op));
  const ok =
    names.every((n) => splitName(n)[0] === parent) &&
    modules.length >= 2 &&
    modules.length <= 3 &&
    isFoldableLayer(modules[0]) &&
    !hasOwnActivation(modules[0]) &&
    (modules.length === 2
      ? normFits(modules[0], modules[1]) || isFusableActivation(modules[1])
      : normFits(modules[0], modules[1]) && isFusableActivation(modules[2]));
  if (!ok) {
    throw new FoveaError(
      op,
      `group [${names.join(', ')}] is ${modules.map((m) => m.constructor.name).join(' → ')}; expected siblings conv/linear → batch norm of the same dims, conv/linear → ReLU/ReLU6, or all three (the layer without an activation option of its own)`,
    );
  }
  const [layer, second, third] = names;
  return isFusableActivation(modules[1])
    ? { layer, activation: second }
    : { layer, norm: second, ...(third && { activation: third }) };
}

/**
 * Every fusion group of `model`: Sequential runs, the zoo's known blocks, then `extra` (dotted
 * names), as described at the top of this file.
 *
 * @example
 * findFusionGroups(createModel('fashion_cnn'))[0]; // { layer: 'features.0', norm: 'features.1', activation: 'features.2' }
 */
export function findFusionGroups(
  model: Module,
  extra: readonly (readonly string[])[] = [],
  op = 'fuse',
): FusionGroup[] {
  const groups: FusionGroup[] = [];
  for (const [prefix, m] of model.namedModules()) {
    if (m instanceof Sequential) groups.push(...sequentialGroups(prefix, m));
    for (const [cls, known] of KNOWN_BLOCK_GROUPS) {
      if (!(m instanceof cls)) continue;
      const qualify = (n?: string) => n && (prefix ? `${prefix}.${n}` : n);
      for (const g of known) {
        groups.push({
          layer: qualify(g.layer)!,
          ...(g.norm && { norm: qualify(g.norm) }),
          ...(g.activation && { activation: qualify(g.activation) }),
        });
      }
    }
  }
  groups.push(...extra.map((names) => namedGroup(model, names, op)));
  return groups;
}
