import { noGrad } from '../autograd/grad-mode.js';
import type { Batch, Dataset } from '../data/dataset.js';
import { DataLoader } from '../data/loader.js';
import type { Module } from '../nn/module.js';
import { adversarialBatch, type AttackSpec } from '../robust/adversarial-examples.js';
import { crossEntropy } from '../ops/cross-entropy.js';
import { concat } from '../ops/concat.js';
import { check } from '../tensor/errors.js';
import { tidy } from '../tensor/scope.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Callback, Logs, TrainContext, AnyOptimizer } from './callback.js';
import { Accuracy, type Metric } from './metrics.js';
import { trainStep } from './train-step.js';

/** A loss: model output and target in, a scalar tensor out. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;

/** Batches with a known count: a DataLoader, or anything iterable like it. */
export type BatchSource = Iterable<Batch> & { readonly length: number };

/** Options of `fit`. */
export interface FitOptions {
  /** The optimizer (src/optim), already holding the model's parameters. */
  optimizer: AnyOptimizer;
  /** Epochs to run (default 1). */
  epochs?: number;
  /** First epoch index, when resuming (default 0). */
  initialEpoch?: number;
  /**
   * Optimizer steps already taken, when resuming (default initialEpoch × batches per epoch);
   * `loadCheckpoint` returns it as `globalStep`.
   */
  initialStep?: number;
  /**
   * Check every op's output for NaN and Infinity on every step (autograd/anomaly.ts). Without it,
   * a non-finite loss, gradient or weight still stops training with an error naming the step and
   * the op, found by re-running only that step with the check on.
   */
  detectAnomaly?: boolean;
  /** Loss function (default crossEntropy). */
  loss?: LossFn;
  /** Metrics computed on every batch and over each epoch (default: accuracy). */
  metrics?: Metric[];
  /** Data evaluated after each epoch; its numbers are logged as val_loss, val_<metric>. */
  validation?: Dataset | BatchSource;
  callbacks?: Callback[];
  /** Batch size when `trainData` is a Dataset (default 32). */
  batchSize?: number;
  /** Generator for shuffling and augmentation when `trainData` is a Dataset. */
  generator?: Generator;
  /** Applied to each training batch before the forward pass (e.g. mixup). */
  batchTransform?: (batch: Batch, generator: Generator) => Batch;
  /**
   * Adversarial training (Madry et al., 2018): each batch (after `batchTransform`) is replaced by
   * its adversarial examples under this attack against the batch's labels, made with the model in
   * eval mode, e.g. `{ attack: 'pgd', eps: 0.1, steps: 3 }`; random starts draw from `generator`.
   */
  adversarial?: AttackSpec;
}

/**
 * Trains `model` on `trainData`, as Keras's `fit`: for each epoch and batch, forward, loss,
 * backward, optimizer step; then validation and the callbacks' epoch hooks. Returns the history,
 * one entry of logs per epoch (loss, metrics, val_*, lr).
 *
 * @example
 * const history = await fit(model, trainSet, { optimizer: new Adam(model.parameters()), epochs: 5, validation: testSet });
 */
export async function fit(
  model: Module,
  trainData: Dataset | BatchSource,
  options: FitOptions,
): Promise<Logs[]> {
  const epochs = options.epochs ?? 1;
  const lossFn = options.loss ?? ((o: Tensor, t: Tensor) => crossEntropy(o, t));
  const metrics = options.metrics ?? [new Accuracy()];
  const callbacks = options.callbacks ?? [];
  const generator = options.generator ?? defaultGenerator;
  const loader = toBatches(trainData, options.batchSize ?? 32, true, generator);
  const validation =
    options.validation && toBatches(options.validation, options.batchSize ?? 32, false, generator);
  const ctx: TrainContext = {
    model,
    optimizer: options.optimizer,
    epochs,
    stepsPerEpoch: loader.length,
    epoch: options.initialEpoch ?? 0,
    globalStep: options.initialStep ?? (options.initialEpoch ?? 0) * loader.length,
    stopTraining: false,
    history: [],
    loader: loader instanceof DataLoader ? loader : undefined,
  };
  const emit = async <K extends keyof Callback>(
    hook: K,
    ...args: Parameters<NonNullable<Callback[K]>>
  ) => {
    for (const cb of callbacks)
      await (cb[hook] as ((...a: typeof args) => unknown) | undefined)?.apply(cb, args);
  };

  await emit('onTrainBegin', ctx);
  for (let epoch = ctx.epoch; epoch < epochs && !ctx.stopTraining; epoch++) {
    ctx.epoch = epoch;
    model.train();
    metrics.forEach((m) => m.reset());
    await emit('onEpochBegin', epoch, ctx);
    let lossSum = 0;
    let seen = 0;
    let batchIndex = 0;
    for (const raw of loader) {
      // One memory scope per step: its tensors live in the backend's memory and are released
      // at its end; the parameters, their gradients and the optimizer's state outlive it.
      const { loss, n } = tidy(() => {
        const transformed = options.batchTransform ? options.batchTransform(raw, generator) : raw;
        const batch = options.adversarial
          ? adversarialBatch(model, transformed, options.adversarial, generator)
          : transformed;
        const stepLoss = trainStep(model, batch, {
          lossFn,
          optimizer: options.optimizer,
          metrics,
          generator,
          step: ctx.globalStep + 1,
          detectAnomaly: options.detectAnomaly,
        });
        return { loss: stepLoss, n: batch.input.shape[0] };
      });
      ctx.globalStep++;
      lossSum += loss * n;
      seen += n;
      await emit(
        'onBatchEnd',
        batchIndex++,
        { loss: lossSum / seen, ...metricLogs(metrics), samples: seen },
        ctx,
      );
      if (ctx.stopTraining) break;
    }
    const logs: Logs = {
      epoch,
      loss: lossSum / Math.max(seen, 1),
      ...metricLogs(metrics),
      lr: options.optimizer.paramGroups[0].lr,
    };
    if (validation) {
      const val = evaluateBatches(model, validation, lossFn, metrics);
      for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
    }
    ctx.history.push(logs);
    await emit('onEpochEnd', epoch, logs, ctx);
  }
  await emit('onTrainEnd', ctx);
  return ctx.history;
}

function metricLogs(metrics: readonly Metric[]): Logs {
  return Object.fromEntries(metrics.map((m) => [m.name, m.compute()]));
}

function toBatches(
  data: Dataset | BatchSource,
  batchSize: number,
  shuffle: boolean,
  generator: Generator,
): BatchSource {
  return 'get' in data ? new DataLoader(data, { batchSize, shuffle, generator }) : data;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  loss?: LossFn;
  metrics?: Metric[];
  /** Batch size when `data` is a Dataset (default 256). */
  batchSize?: number;
}

/**
 * The mean loss and the metrics of `model` on `data`, in eval mode without gradients (the
 * model's training mode is restored after).
 */
export function evaluate(
  model: Module,
  data: Dataset | BatchSource,
  options: EvaluateOptions = {},
): Logs {
  const lossFn = options.loss ?? ((o: Tensor, t: Tensor) => crossEntropy(o, t));
  const metrics = options.metrics ?? [new Accuracy()];
  return evaluateBatches(
    model,
    toBatches(data, options.batchSize ?? 256, false, defaultGenerator),
    lossFn,
    metrics,
  );
}

function evaluateBatches(
  model: Module,
  batches: BatchSource,
  lossFn: LossFn,
  metrics: readonly Metric[],
): Logs {
  const wasTraining = model.training;
  model.eval();
  metrics.forEach((m) => m.reset());
  let lossSum = 0;
  let seen = 0;
  try {
    noGrad(() => {
      for (const batch of batches) {
        const n = batch.input.shape[0];
        tidy(() => {
          const output = model.forward(batch.input);
          lossSum += lossFn(output, batch.target).item() * n;
          metrics.forEach((m) => m.update(output, batch.target));
        });
        seen += n;
      }
    });
  } finally {
    model.train(wasTraining);
  }
  check(seen > 0, 'evaluate', () => 'the data has no samples');
  return { loss: lossSum / seen, ...metricLogs(metrics) };
}

/**
 * The model's outputs for a batch tensor or for every sample of a dataset (in order), in eval
 * mode without gradients; each batch's forward runs in a memory scope that keeps only its output.
 */
export function predict(model: Module, data: Tensor | Dataset, { batchSize = 256 } = {}): Tensor {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      if (!('get' in data)) return tidy(() => model.forward(data));
      const outputs: Tensor[] = [];
      for (const batch of new DataLoader(data, { batchSize, shuffle: false }))
        outputs.push(tidy(() => model.forward(batch.input)));
      return concat(outputs, 0);
    });
  } finally {
    model.train(wasTraining);
  }
}
