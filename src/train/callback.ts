import type { DataLoader } from '../data/loader.js';
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerOptions } from '../optim/optimizer.js';

/** The numbers of one batch or epoch: 'loss', metric names, 'val_loss', 'val_accuracy', 'lr'... */
export type Logs = Record<string, number>;

/** What callbacks see of a running fit: they may read it and set `stopTraining`. */
export interface TrainContext {
  readonly model: Module;
  /** The optimizer in use (its param groups carry the current learning rates). */
  readonly optimizer: AnyOptimizer;
  /** Epochs fit will run in total (the last epoch index is epochs − 1). */
  readonly epochs: number;
  /** Batches per epoch. */
  readonly stepsPerEpoch: number;
  /** The epoch being run (0-based). */
  epoch: number;
  /** Optimizer steps taken so far in this fit (and before it, when resumed). */
  globalStep: number;
  /** Set to true to end training after the current batch. */
  stopTraining: boolean;
  /** One entry per finished epoch. */
  readonly history: Logs[];
  /** The training DataLoader (when fit batches a Dataset or is given one), for checkpoints. */
  readonly loader?: DataLoader;
}

/** Any of src/optim's optimizers. */
export type AnyOptimizer = Optimizer<OptimizerOptions>;

/**
 * Hooks into fit, as Keras callbacks: each method is optional. Batch hooks receive the batch's
 * logs (loss and metrics so far this epoch); epoch hooks the epoch's logs, validation included.
 */
export interface Callback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
}
