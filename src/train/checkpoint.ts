import { loadSafetensors, saveSafetensors } from '../io/safetensors.js';
import type { Module } from '../nn/module.js';
import type { OptimizerStateDict } from '../optim/optimizer.js';
import type { SchedulerStateDict } from '../optim/schedule.js';
import { check, FoveaError } from '../tensor/errors.js';
import type { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callback.js';

/** What a checkpoint restores: the model and, when given, the training state around it. */
export interface CheckpointParts {
  model: Module;
  optimizer?: { stateDict(): OptimizerStateDict; loadStateDict(state: OptimizerStateDict): void };
  scheduler?: { stateDict(): SchedulerStateDict; loadStateDict(state: SchedulerStateDict): void };
  /** The generator driving shuffling, dropout and augmentation. */
  generator?: Generator;
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
}

const META_KEY = 'fovea_checkpoint';

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
  const meta: CheckpointMeta = { format: 'fovea-checkpoint-1', ...progress };
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
  saveSafetensors(path, tensors, { [META_KEY]: JSON.stringify(meta) });
}

/**
 * Restores a checkpoint written by `saveCheckpoint` into the given parts (the model strictly:
 * names and shapes must match) and returns the progress, so `fit` can go on with
 * `initialEpoch: progress.epoch`.
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
  if (parts.generator && meta.rng) parts.generator.setState(meta.rng);
  return { epoch: meta.epoch, globalStep: meta.globalStep, history: meta.history };
}
