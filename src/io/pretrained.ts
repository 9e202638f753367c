/**
 * Pretrained weights into a model whose head differs: the transfer-learning load. Strict loading
 * (`loadModel`, `Module.loadStateDict`) refuses a state dict with a 10-class head for a 5-class
 * model; this copies every tensor whose name and shape match and reports the rest.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '../nn/module.js';
import { FoveaError } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadSafetensors } from './safetensors.js';

/** What {@link loadPretrained} did, by state-dict name. */
export interface PretrainedLoad {
  /** Copied from the file. */
  loaded: string[];
  /** In the file and the model with different shapes (typically the old head): left as they were. */
  skipped: string[];
  /** In the model but not in the file: left as they were. */
  missing: string[];
  /** In the file but not in the model: ignored. */
  unexpected: string[];
}

/**
 * Copies pretrained weights into `model`: from a model folder written by `saveModel` (its
 * `model.safetensors`), a `.safetensors` file (fovea's or PyTorch's `safetensors.torch.save_file`
 * of a state dict), or a state dict in memory. Tensors whose name and shape match are copied; a
 * head of another size is skipped and keeps its fresh initialisation. `prefix` is removed from
 * the file's names first (e.g. 'model.' for a checkpoint). Throws when nothing matches, which
 * means the wrong architecture.
 *
 * @example
 * const model = createModel('fashion_cnn', { numClasses: 5 });
 * const { skipped } = loadPretrained(model, 'runs/pretrained/model');
 * skipped; // ['classifier.4.weight', 'classifier.4.bias']: the 10-class head
 */
export function loadPretrained(
  model: Module,
  source: string | ReadonlyMap<string, Tensor>,
  options: { prefix?: string } = {},
): PretrainedLoad {
  const prefix = options.prefix ?? '';
  const file = typeof source === 'string' ? readWeights(source) : source;
  const state = new Map<string, Tensor>();
  for (const [name, t] of file) {
    if (name.startsWith(prefix)) state.set(name.slice(prefix.length), t);
  }
  const own = model.stateDict();
  const result: PretrainedLoad = { loaded: [], skipped: [], missing: [], unexpected: [] };
  for (const [name, target] of own) {
    const t = state.get(name);
    if (!t) result.missing.push(name);
    else if (!sameShape(t.shape, target.shape)) result.skipped.push(name);
    else {
      target.data.set(t.data);
      result.loaded.push(name);
    }
  }
  result.unexpected = [...state.keys()].filter((k) => !own.has(k));
  if (result.loaded.length === 0) {
    const where = typeof source === 'string' ? source : 'the state dict';
    throw new FoveaError(
      'loadPretrained',
      `no tensor of ${where} matches the model by name and shape (the file has ${[...state.keys()].slice(0, 4).join(', ')}...; the model has ${[...own.keys()].slice(0, 4).join(', ')}...); is it the same architecture, or does it need a prefix?`,
    );
  }
  return result;
}

/** The tensors of a model folder's model.safetensors, or of a .safetensors file. */
function readWeights(path: string): Map<string, Tensor> {
  if (!existsSync(path)) {
    throw new FoveaError(
      'loadPretrained',
      `${path} does not exist; give a model folder or a .safetensors file`,
    );
  }
  const file = statSync(path).isDirectory() ? join(path, 'model.safetensors') : path;
  return loadSafetensors(file).tensors;
}
