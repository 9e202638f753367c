import { firstNonFinite } from '../autograd/anomaly.js';
import type { LoaderPosition } from '../data/loader.js';
import { loadSafetensors, saveSafetensors } from '../io/safetensors.js';
import type { Module } from '../nn/module.js';
import type { OptimizerStateDict } from '../optim/optimizer.js';
import type { SchedulerStateDict } from '../optim/schedule.js';
import { check, FoveaError, fmt } from '../tensor/errors.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callback.js';

/** What a checkpoint restores: the model and, when given, the training state around it. */
export interface CheckpointParts {
  model: Module;
  optimizer?: { stateDict(): OptimizerStateDict; loadStateDict(state: OptimizerStateDict): void };
  scheduler?: { stateDict(): SchedulerStateDict; loadStateDict(state: SchedulerStateDict): void };
  /**
   * The generator driving shuffling and augmentation. The default generator (dropout's, unless
   * a layer was given its own) is always saved and restored too.
   */
  generator?: Generator;
  /** The training DataLoader: its epoch order and next batch, to resume mid-epoch. */
  loader?: { position(): LoaderPosition | null; resumeAt(position: LoaderPosition): void };
}

/** Where training stood when the checkpoint was written. */
export interface CheckpointProgress {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps taken. */
  globalStep: number;
  history: Logs[];
}

/** The JSON stored in the file's metadata next to the tensors. */
interface CheckpointMeta extends CheckpointProgress {
  format: 'fovea-checkpoint-1';
  optimizer?: {
    paramGroups: OptimizerStateDict['paramGroups'];
    numbers: Record<string, Record<string, number>>;
  };
  scheduler?: SchedulerStateDict;
  rng?: ReturnType<Generator['getState']>;
  defaultRng?: ReturnType<Generator['getState']>;
  /** The loader's next batch; its epoch order is the `loader.order` tensor. */
  loader?: { nextBatch: number };
}

const META_KEY = 'fovea_checkpoint';
const LOADER_ORDER = 'loader.order';

/**
 * Writes one safetensors file holding the model's state dict (`model.*`), the optimizer's tensor
 * state (`optimizer.<param>.<name>`) and, as JSON metadata, its scalar state and param groups,
 * the schedule, the generator's state and the progress — everything a run needs to resume.
 * The file is written to a temporary name, flushed and renamed, so the path always holds a
 * whole checkpoint.
 *
 * @example saveCheckpoint('runs/a/last.safetensors', { model, optimizer, scheduler, generator }, { epoch: 3, globalStep: 942, history });
 */
export function saveCheckpoint(
  path: string,
  parts: CheckpointParts,
  progress: CheckpointProgress,
): void {
  const tensors = new Map<string, Tensor>();
  for (const [name, t] of parts.model.stateDict()) tensors.set(`model.${name}`, t);
  const meta: CheckpointMeta = {
    format: 'fovea-checkpoint-1',
    ...progress,
    defaultRng: defaultGenerator.getState(),
  };
  if (parts.optimizer) {
    const { state, paramGroups } = parts.optimizer.stateDict();
    const numbers: Record<string, Record<string, number>> = {};
    for (const [index, entries] of state) {
      for (const [key, value] of Object.entries(entries)) {
        if (value instanceof Tensor) tensors.set(`optimizer.${index}.${key}`, value);
        else (numbers[index] ??= {})[key] = value;
      }
    }
    meta.optimizer = { paramGroups, numbers };
  }
  if (parts.scheduler) meta.scheduler = parts.scheduler.stateDict();
  if (parts.generator) meta.rng = parts.generator.getState();
  const position = parts.loader?.position();
  if (position) {
    tensors.set(LOADER_ORDER, new Tensor(position.order, [position.order.length], 'int32'));
    meta.loader = { nextBatch: position.nextBatch };
  }
  refuseNonFinite(path, tensors);
  saveSafetensors(path, tensors, { [META_KEY]: JSON.stringify(meta) });
}

/**
 * Restores a checkpoint written by `saveCheckpoint` into the given parts (the model strictly:
 * names and shapes must match) and returns the progress, so `fit` can go on with
 * `initialEpoch: progress.epoch, initialStep: progress.globalStep`; with `parts.loader`, the loader
 * continues the saved epoch at its next batch.
 */
export function loadCheckpoint(path: string, parts: CheckpointParts): CheckpointProgress {
  const { tensors, metadata } = loadSafetensors(path);
  const raw = metadata[META_KEY];
  if (raw === undefined)
    throw new FoveaError(
      'loadCheckpoint',
      `${path}: not a fovea checkpoint (no '${META_KEY}' metadata)`,
    );
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(raw) as CheckpointMeta;
  } catch (e) {
    throw new FoveaError(
      'loadCheckpoint',
      `${path}: the '${META_KEY}' metadata is not valid JSON (${(e as Error).message})`,
    );
  }
  check(
    meta.format === 'fovea-checkpoint-1',
    'loadCheckpoint',
    () => `${path}: unknown format '${meta.format}'`,
  );
  const model = new Map<string, Tensor>();
  const optimizerState = new Map<number, Record<string, Tensor | number>>();
  for (const [name, t] of tensors) {
    if (name === LOADER_ORDER) continue;
    if (name.startsWith('model.')) model.set(name.slice('model.'.length), t);
    else {
      const [, index, key] = name.split('.');
      (optimizerState.get(+index) ?? optimizerState.set(+index, {}).get(+index)!)[key] = t;
    }
  }
  parts.model.loadStateDict(model);
  if (parts.optimizer) {
    check(meta.optimizer !== undefined, 'loadCheckpoint', () => `${path} holds no optimizer state`);
    for (const [index, entries] of Object.entries(meta.optimizer.numbers)) {
      Object.assign(
        optimizerState.get(+index) ?? optimizerState.set(+index, {}).get(+index)!,
        entries,
      );
    }
    parts.optimizer.loadStateDict({
      state: optimizerState,
      paramGroups: meta.optimizer.paramGroups,
    });
  }
  if (parts.scheduler) {
    check(meta.scheduler !== undefined, 'loadCheckpoint', () => `${path} holds no schedule state`);
    parts.scheduler.loadStateDict(meta.scheduler);
  }
  if (meta.defaultRng) defaultGenerator.setState(meta.defaultRng);
  if (parts.generator && meta.rng) parts.generator.setState(meta.rng);
  const order = tensors.get(LOADER_ORDER);
  if (parts.loader && meta.loader && order) {
    parts.loader.resumeAt({ order: order.data as Int32Array, nextBatch: meta.loader.nextBatch });
  }
  return { epoch: meta.epoch, globalStep: meta.globalStep, history: meta.history };
}

/**
 * Refuses to write a checkpoint holding NaN or Infinity, so a diverged run never replaces the
 * last good checkpoint at `path`.
 */
function refuseNonFinite(path: string, tensors: ReadonlyMap<string, Tensor>): void {
  for (const [name, t] of tensors) {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') continue;
    const at = firstNonFinite(t.data);
    check(
      at < 0,
      'saveCheckpoint',
      () =>
        `${path}: refusing to write a checkpoint whose '${name}' ${fmt(t.shape)} holds ${t.data[at]} ` +
        `at index ${at}; the file already there is kept (training diverged: lower the learning rate ` +
        `or look for bad data, see fit's NaN guard)`,
    );
  }
}
