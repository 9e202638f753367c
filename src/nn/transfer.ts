/**
 * Transfer learning on a Module: find and replace the classifier head, freeze the backbone, and
 * split the parameters into a backbone group and a head group with their own learning rates.
 * Loading the pretrained weights themselves is `loadPretrained` (src/io/pretrained.ts).
 */
import { check, FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Linear } from './layers/linear.js';
import type { Module } from './module.js';

/** The head of a model: its dotted name and the module (a Linear layer, or a named block). */
export interface Head<M extends Module = Module> {
  name: string;
  module: M;
}

/**
 * The head of `model`: the module named `name` (any module, e.g. 'classifier' for a whole MLP
 * head), or by default the last Linear layer in property order (the classifier of every zoo
 * model: `classifier.4` in fashion_cnn, `fc` in ResNet).
 *
 * @example
 * findHead(createModel('fashion_cnn')).name; // 'classifier.4'
 * findHead(createModel('fashion_cnn'), 'classifier').module; // the Sequential of the MLP head
 */
export function findHead(model: Module, name?: string): Head {
  const modules = model.namedModules();
  if (name !== undefined) {
    const found = modules.find(([n]) => n === name && n !== '');
    check(
      found !== undefined,
      'findHead',
      () =>
        `the model has no module '${name}'; its top-level modules are ${model
          .namedChildren()
          .map(([n]) => `'${n}'`)
          .join(', ')} (nested names are dotted, e.g. 'classifier.4')`,
    );
    return { name, module: found[1] };
  }
  const linears = modules.filter(([, m]) => m instanceof Linear);
  if (linears.length === 0) {
    throw new FoveaError(
      'findHead',
      'the model has no Linear layer to use as its head; name the head module explicitly',
    );
  }
  const [last, module] = linears[linears.length - 1];
  return { name: last, module };
}

/**
 * Replaces the head of `model` (see {@link findHead}; it must be a Linear layer) with a fresh
 * `Linear(inFeatures, numClasses)`, in place, and returns the new head. The rest of the model is
 * untouched, so the pretrained backbone stays loaded.
 *
 * @example
 * const head = replaceHead(model, 5); // fashion_cnn: classifier.4 becomes Linear(128, 5)
 */
export function replaceHead(
  model: Module,
  numClasses: number,
  options: { name?: string } = {},
): Head<Linear> {
  check(
    Number.isInteger(numClasses) && numClasses > 0,
    'replaceHead',
    () => `numClasses must be a positive integer, got ${numClasses}`,
  );
  const old = findHead(model, options.name);
  check(
    old.module instanceof Linear,
    'replaceHead',
    () =>
      `'${old.name}' is a ${old.module.constructor.name}, not a Linear layer; name the Linear to replace`,
  );
  const path = old.name.split('.');
  const property = path.pop()!;
  const parent = path.length === 0 ? model : moduleAt(model, path.join('.'));
  const { inFeatures, bias } = old.module;
  const module = new Linear(inFeatures, numClasses, { bias: bias !== null });
  (parent as unknown as Record<string, Module>)[property] = module;
  return { name: old.name, module };
}

/** The module named `name` (a dotted path that namedModules() lists) in `model`. */
function moduleAt(model: Module, name: string): Module {
  return model.namedModules().find(([n]) => n === name)![1];
}

/**
 * Freezes every parameter of `model` except those of its head (see {@link findHead}: the last
 * Linear, or the module named `head`, e.g. 'classifier' to train a whole MLP head), the first
 * stage of fine-tuning: only the head learns while the pretrained features stay fixed.
 * Returns the head. `model.unfreeze()` lets everything train again for the second stage.
 *
 * @example
 * replaceHead(model, 5);
 * freezeBackbone(model); // model.parameters().filter(p => p.requiresGrad) = the head's weight and bias
 */
export function freezeBackbone(model: Module, options: { head?: string } = {}): Head {
  const head = findHead(model, options.head);
  model.freeze();
  head.module.unfreeze();
  return head;
}

/** Options of {@link transferParamGroups}. */
export interface TransferParamGroupsOptions {
  /** Learning rate of the head. */
  lr: number;
  /** Learning rate of the backbone, as a fraction of `lr` (default 0.1). */
  backboneLrScale?: number;
  /** The head's module name, any module (default: the last Linear layer). */
  head?: string;
}

/**
 * Two parameter groups for an optimizer: the backbone with a smaller learning rate and the head
 * with `lr`, the second stage of fine-tuning (pretrained features adapt slowly, the new head
 * quickly). Frozen parameters (requiresGrad false) are left out.
 *
 * @example
 * model.unfreeze();
 * const opt = new AdamW(transferParamGroups(model, { lr: 1e-3, backboneLrScale: 0.1 }));
 */
export function transferParamGroups(
  model: Module,
  options: TransferParamGroupsOptions,
): { params: Tensor[]; lr: number }[] {
  const { lr, backboneLrScale = 0.1 } = options;
  check(
    lr > 0 && backboneLrScale >= 0,
    'transferParamGroups',
    () =>
      `lr must be > 0 and backboneLrScale >= 0, got lr ${lr}, backboneLrScale ${backboneLrScale}`,
  );
  const head = new Set(findHead(model, options.head).module.parameters());
  const trainable = model.parameters().filter((p) => p.requiresGrad);
  return [
    { params: trainable.filter((p) => !head.has(p)), lr: lr * backboneLrScale },
    { params: trainable.filter((p) => head.has(p)), lr },
  ].filter((g) => g.params.length > 0);
}
