import type { Batch, Dataset } from '../data/dataset.js';
import { DataLoader } from '../data/loader.js';
import type { Module } from '../nn/module.js';
import { argmax } from '../ops/reduce.js';
import { check } from '../tensor/errors.js';
import { predict } from '../train/fit.js';
import { adversarialExamples, type AttackSpec } from './adversarial-examples.js';

/** Accuracy on adversarial inputs of one budget. */
export interface RobustnessPoint {
  eps: number;
  accuracy: number;
}

/** Options of `robustAccuracy`: the attack (its eps included) and the batch size for a Dataset. */
export interface RobustAccuracyOptions extends AttackSpec {
  /** Batch size when `data` is a Dataset (default 256). */
  batchSize?: number;
}

/** Options of `robustnessCurve`: the budgets, and the attack applied at each. */
export interface RobustnessCurveOptions extends Omit<RobustAccuracyOptions, 'eps'> {
  /** The budgets measured, e.g. [0, 0.02, 0.05, 0.1]; 0 gives the clean accuracy. */
  epsilons: readonly number[];
}

/**
 * The fraction of `data` that `model` still classifies correctly after the attack `options`
 * describes (an untargeted attack on each sample's label; eps 0 skips the attack and gives the
 * clean accuracy).
 *
 * @example robustAccuracy(model, testSet, { attack: 'pgd', eps: 0.1 }) // 0.31
 */
export function robustAccuracy(
  model: Module,
  data: Dataset | Iterable<Batch>,
  options: RobustAccuracyOptions,
): number {
  const batches =
    'get' in data ? new DataLoader(data, { batchSize: options.batchSize ?? 256 }) : data;
  let [correct, seen] = [0, 0];
  for (const { input, target } of batches) {
    const attacked =
      options.eps === 0
        ? input
        : adversarialExamples(model, input, target, { ...options, targeted: false });
    const predicted = argmax(predict(model, attacked), 1).data;
    target.data.forEach((label, i) => (correct += Number(predicted[i] === label)));
    seen += target.shape[0];
  }
  check(seen > 0, 'robustAccuracy', () => 'the data has no samples');
  return correct / seen;
}

/**
 * Accuracy against ε: `robustAccuracy` at each of `options.epsilons`, as data for a table or
 * `robustnessChart`. With the default PGD it falls as ε grows; where it does not, the attack is
 * too weak (more steps) or the gradients are masked.
 *
 * @example robustnessCurve(model, testSet, { epsilons: [0, 0.05, 0.1, 0.2], steps: 10 })
 */
export function robustnessCurve(
  model: Module,
  data: Dataset | Iterable<Batch>,
  options: RobustnessCurveOptions,
): RobustnessPoint[] {
  return options.epsilons.map((eps) => ({
    eps,
    accuracy: robustAccuracy(model, data, { ...options, eps }),
  }));
}
