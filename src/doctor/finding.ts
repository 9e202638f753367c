/**
 * What the CNN doctor reports, and what each check is given. A check is a function from the
 * context to findings; the doctor (doctor.ts) builds the context once and runs every check.
 */
import type { ModelSummary } from '../analysis/summary.js';
import type { Batch } from '../data/dataset.js';
import type { Normalization } from '../io/model-file.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';

/** How bad a finding is: 'error' breaks training or results, 'warning' costs accuracy, 'info' costs little. */
export type Severity = 'error' | 'warning' | 'info';

/** What the model is for: dense tasks need the spatial resolution kept. */
export type Task = 'classification' | 'segmentation' | 'pose';

/** One problem found, with the numbers behind it and what to do about it. */
export interface Finding {
  /** A stable name of the problem, e.g. 'dead-relus'. */
  id: string;
  severity: Severity;
  /** What is wrong, naming the layers involved. */
  message: string;
  /** The measurements the finding rests on, by name. */
  evidence: Record<string, number>;
  /** What to change. */
  fix: string;
}

/** A loss for the gradient checks: model output and target in, a scalar out. */
export type DoctorLoss = (output: Tensor, target: Tensor) => Tensor;

/** Everything a check may look at, computed once by the doctor. */
export interface DoctorContext {
  model: Module;
  /** One input without the batch dim, e.g. [1, 28, 28]. */
  inputShape: number[];
  /** The summary of one pass at `inputShape` (layers, shapes, receptive fields). */
  summary: ModelSummary;
  /** Every module by dotted name ('' for the model). */
  modules: Map<string, Module>;
  task: Task;
  /** Object size in pixels per spatial dim, when given. */
  objectSize?: number[];
  /** The normalization the model was trained with (from a saved model's config). */
  normalization?: Normalization;
  /** Whether the weights come from pretraining (a saved model) rather than random init. */
  pretrained: boolean;
  /** A few batches drawn from the data, when data was given. */
  batches?: Batch[];
  /** The number of samples in the whole dataset, when data was given. */
  datasetSize?: number;
  /** Whether the data's inputs have the model's input shape, so forward passes on them work. */
  dataFitsModel: boolean;
  /** The loss the gradient checks use. */
  loss: DoctorLoss;
}

/** A check: the findings it makes from the context (none when all is well). */
export type Check = (ctx: DoctorContext) => Finding[];
