/**
 * One training step — forward, loss, backward, optimizer step, metrics — with the NaN guard:
 * the step stops with a NonFiniteError naming the step and the first op that produced a NaN or
 * Infinity. The guard costs a scan of the loss, the gradients and the parameters per step; only
 * when one is non-finite is the step re-run (same batch, generators rewound) under anomaly
 * detection, which checks every op's output, to name the op. `detectAnomaly: true` checks every
 * op of every step instead (see docs/trust.md for both costs).
 */
import { firstNonFinite, NonFiniteError, withAnomalyDetection } from '../autograd/anomaly.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Batch } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import { fmt } from '../tensor/errors.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AnyOptimizer } from './callback.js';
import type { Metric } from './metrics.js';

/** What a training step needs besides the model and the batch. */
export interface StepOptions {
  lossFn: (output: Tensor, target: Tensor) => Tensor;
  optimizer: AnyOptimizer;
  metrics: readonly Metric[];
  /** The generator of the batch's randomness; it and the default generator are rewound to re-run. */
  generator: Generator;
  /** The 1-based number of this step in the run, for error messages. */
  step: number;
  /** Check every op's output on every step (slower), not only on a failing step. */
  detectAnomaly?: boolean;
}

/**
 * Runs one optimizer step of `model` on `batch` and returns the batch's mean loss; throws a
 * NonFiniteError, before any weight is changed where it can, when the loss, a gradient or a
 * parameter becomes NaN or Infinity.
 *
 * @example
 * const loss = trainStep(model, batch, { lossFn, optimizer, metrics: [], generator, step: 1 });
 */
export function trainStep(model: Module, batch: Batch, options: StepOptions): number {
  const { optimizer, step } = options;
  const generators = [options.generator, defaultGenerator];
  const states = generators.map((g) => g.getState());
  const forward = () => {
    const output = model.forward(batch.input);
    return { output, loss: options.lossFn(output, batch.target) };
  };
  const guarded = <T>(fn: () => T): T => (options.detectAnomaly ? withAnomalyDetection(fn) : fn());
  const explain = (problem: string): never => {
    generators.forEach((g, i) => g.setState(states[i]));
    optimizer.zeroGrad();
    try {
      withAnomalyDetection(() => forward().loss.backward());
    } catch (e) {
      if (!(e instanceof NonFiniteError)) throw e;
      throw new NonFiniteError(
        e.culprit,
        `step ${step}: ${problem}; the first non-finite value: ${e.message}`,
      );
    }
    throw new NonFiniteError(
      'fit',
      `step ${step}: ${problem}; re-running the step under anomaly detection found no op producing it`,
    );
  };

  const { output, loss } = guarded(forward);
  const value = loss.item();
  if (!Number.isFinite(value)) explain(`the loss is ${value}`);
  optimizer.zeroGrad();
  guarded(() => loss.backward());
  const badGradient = firstNonFiniteParameter(optimizer, (p) => p.grad);
  if (badGradient) explain(`the gradient of parameter ${badGradient}`);
  optimizer.step();
  const badWeight = firstNonFiniteParameter(optimizer, (p) => p);
  if (badWeight) {
    throw new NonFiniteError(
      'optimizer',
      `step ${step}: the optimizer's update made parameter ${badWeight} from finite weights and ` +
        `gradients (learning rate ${optimizer.paramGroups.map((g) => g.lr).join(', ')}); lower it`,
    );
  }
  noGrad(() => options.metrics.forEach((m) => m.update(output.detach(), batch.target)));
  return value;
}

/** Describes the first parameter whose `pick` (its value or gradient) holds NaN or Infinity. */
function firstNonFiniteParameter(
  optimizer: AnyOptimizer,
  pick: (p: Tensor) => Tensor | null,
): string | undefined {
  let index = 0;
  for (const group of optimizer.paramGroups) {
    for (const p of group.params) {
      const t = pick(p);
      const at = t === null ? -1 : firstNonFinite(t.data);
      if (at >= 0) return `${index} ${fmt(p.shape)}: it holds ${t!.data[at]} at index ${at}`;
      index++;
    }
  }
  return undefined;
}
