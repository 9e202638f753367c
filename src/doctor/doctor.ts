/**
 * `doctor(model, options)`: checks a CNN, and optionally its data, for the known ways CNNs go
 * wrong, and returns findings with their evidence and fixes. See docs/doctor.md.
 */
import { resolveObjectSize, summary, type ModelSummary } from '../analysis/summary.js';
import type { Dataset } from '../data/dataset.js';
import type { Normalization } from '../io/model-file.js';
import type { Module } from '../nn/module.js';
import { crossEntropy } from '../ops/cross-entropy.js';
import { mseLoss } from '../ops/loss.js';
import { check, fmt, FoveaError } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import { CHECKS } from './checks/index.js';
import type { DoctorContext, DoctorLoss, Finding, Severity, Task } from './finding.js';
import { sampleBatches } from './sample.js';

/** Options of {@link doctor}. */
export interface DoctorOptions {
  /** One input without the batch dim, e.g. [1, 28, 28]. */
  inputShape: readonly number[];
  /**
   * Samples as the model is fed them (after scaling and normalization): enables the data checks
   * (input statistics and layout, spatial structure, dataset size) and the checks that run the
   * model on it (gradients, dead ReLUs).
   */
  data?: Dataset;
  /** The size in pixels of the objects to recognise (one number or one per spatial dim). */
  objectSize?: number | readonly number[];
  /** What the model is for (default 'classification'); dense tasks need resolution kept. */
  task?: Task;
  /** The normalization the model was trained with (a saved model's config.normalization). */
  normalization?: Normalization;
  /** Whether the weights are pretrained rather than freshly initialised (default false). */
  pretrained?: boolean;
  /** The loss for the gradient check (default: cross-entropy, mean squared error for 'pose'). */
  loss?: DoctorLoss;
  /** How many samples of `data` the data checks use (default 128, in batches of 32). */
  samples?: number;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Examines `model` (and `data`, when given) and returns its findings, errors first; an empty
 * list means no known problem was found. The model is left exactly as it was: the data checks
 * run it in training mode and restore its buffers, gradients, modes and the random stream.
 *
 * @example
 * const findings = doctor(createModel('lenet5'), { inputShape: [1, 28, 28], data: testSet });
 * console.log(formatDoctorReport(findings));
 */
export function doctor(model: Module, options: DoctorOptions): Finding[] {
  const inputShape = [...options.inputShape];
  check(
    inputShape.length > 0 && inputShape.every((d) => Number.isInteger(d) && d > 0),
    'doctor',
    () =>
      `inputShape should be one input without the batch dim, e.g. [1, 28, 28], got ${JSON.stringify(options.inputShape)}`,
  );
  const task = options.task ?? 'classification';
  check(
    ['classification', 'segmentation', 'pose'].includes(task),
    'doctor',
    () => `task should be 'classification', 'segmentation' or 'pose', got '${task}'`,
  );
  check(
    options.data === undefined || options.data.length > 0,
    'doctor',
    () => 'data has no samples; pass a dataset with samples, or no data',
  );
  const objectSize = resolveObjectSize(options.objectSize, inputShape.length - 1, 'doctor');
  let modelSummary: ModelSummary;
  try {
    modelSummary = summary(model, inputShape);
  } catch (e) {
    if (!(e instanceof FoveaError)) throw e;
    return [forwardFailure(inputShape, e)];
  }
  const batches = options.data && sampleBatches(options.data, options.samples ?? 128, 32);
  const ctx: DoctorContext = {
    model,
    inputShape,
    summary: modelSummary,
    modules: new Map(model.namedModules()),
    task,
    objectSize,
    normalization: options.normalization,
    pretrained: options.pretrained ?? false,
    batches,
    datasetSize: options.data?.length,
    dataFitsModel: !!batches && sameShape(batches[0].input.shape.slice(1), inputShape),
    loss:
      options.loss ?? (task === 'pose' ? (o, t) => mseLoss(o, t) : (o, t) => crossEntropy(o, t)),
  };
  return CHECKS.flatMap((run) => run(ctx)).sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

/** The finding when the model cannot even run on the input shape. */
function forwardFailure(inputShape: number[], error: FoveaError): Finding {
  const channelsLast =
    inputShape.length === 3 && [1, 3, 4].includes(inputShape[2]) && inputShape[0] > 4;
  return {
    id: 'forward-fails',
    severity: 'error',
    message: `The model cannot run on an input of shape ${fmt(inputShape)}: ${error.message}`,
    evidence: { inputDims: inputShape.length },
    fix: channelsLast
      ? `The shape looks channels-last (H, W, C); fovea models take channels first: use [${[inputShape[2], inputShape[0], inputShape[1]].join(', ')}].`
      : 'Pass the input shape the model was built for (channels first, without the batch dim), e.g. [1, 28, 28] or [3, 32, 32].',
  };
}
