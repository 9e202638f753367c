import type { Module } from '../nn/module.js';
import { FoveaError } from '../tensor/errors.js';

/**
 * Replaces the child `name` of `parent` (a property, or a Sequential's index) by `child`, keeping
 * its place in the property order, so state-dict names and Sequential order stay as they were.
 *
 * @example setChild(model.features, '1', new Identity()); // drop a folded batch norm
 */
function setChild(parent: Module, name: string, child: Module): void {
  (parent as unknown as Record<string, Module>)[name] = child;
}

/**
 * The module at a dotted name ('' is `root` itself), e.g. 'layer1.0.conv1', as PyTorch's
 * `get_submodule`. Throws a FoveaError naming `op` when there is none.
 *
 * @example getModule(model, 'features.0') // the first conv of fashion_cnn
 */
export function getModule(root: Module, name: string, op: string): Module {
  const found = root.namedModules().find(([n]) => n === name);
  if (!found) throw new FoveaError(op, `the model has no module named '${name}'`);
  return found[1];
}

/** Splits a dotted module name into its parent's name and its own ('a.b.c' → ['a.b', 'c']). */
export function splitName(name: string): [parent: string, child: string] {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? ['', name] : [name.slice(0, dot), name.slice(dot + 1)];
}

/**
 * Puts `module` in the place of the module with dotted name `name` inside `root`; errors name `op`.
 *
 * @example replaceModule(model, 'features.1', new Identity(), 'foldBatchNorm');
 */
export function replaceModule(root: Module, name: string, module: Module, op: string): void {
  const [parent, child] = splitName(name);
  setChild(getModule(root, parent, op), child, module);
}
