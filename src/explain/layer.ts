import { noGrad } from '../autograd/grad-mode.js';
import { withFrozenModel } from '../nn/input-gradient.js';
import type { Module } from '../nn/module.js';
import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The submodule of `model` called `name`, by its state-dict-style path (`features.3`,
 * `layer4.1.conv2`, as `model.get_submodule` in PyTorch). An unknown name is a FoveaError from
 * `op` that lists the names there are.
 *
 * @example findLayer(model, 'features.4', 'gradCam') // the second conv of fashion_cnn
 */
export function findLayer(model: Module, name: string, op: string): Module {
  const modules = model.namedModules();
  const found = modules.find(([n]) => n === name);
  if (found) return found[1];
  const names = modules.map(([n]) => n).filter((n) => n !== '');
  throw new FoveaError(
    op,
    `the model has no layer '${name}'; its layers are ${names.slice(0, 40).join(', ')}${names.length > 40 ? ', ...' : ''}`,
  );
}

/**
 * The name of the last layer (a module without children) whose output is a feature map
 * [N, C, H, W] of more than one position when `model` runs on `input`: the usual Grad-CAM layer,
 * the last convolutional block before global pooling. A FoveaError from `op` when there is none.
 *
 * @example lastSpatialLayer(createModel('fashion_cnn'), randn([1, 1, 28, 28]), 'explain') // 'avgpool' (7×7)
 */
export function lastSpatialLayer(model: Module, input: Tensor, op: string): string {
  let last: string | undefined;
  const handles = model
    .namedModules()
    .filter(([, m]) => m.namedChildren().length === 0)
    .map(([name, m]) =>
      m.registerForwardHook((_m, _x, output) => {
        if (output.ndim === 4 && output.shape[2] * output.shape[3] > 1) last = name;
      }),
    );
  try {
    withFrozenModel(model, () => noGrad(() => model.forward(input)));
  } finally {
    handles.forEach((h) => h.remove());
  }
  if (last === undefined) {
    throw new FoveaError(op, `no layer of the model outputs a feature map [N, C, H, W]`);
  }
  return last;
}
