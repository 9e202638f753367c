import { noGrad } from '../autograd/grad-mode.js';
import { crossEntropy } from '../ops/cross-entropy.js';
import { clamp } from '../ops/unary.js';
import { inputGradient } from '../nn/input-gradient.js';
import type { Module } from '../nn/module.js';
import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Norm } from './norm-ball.js';

/** Options every attack takes. */
export interface AttackOptions {
  /** The perturbation budget: the largest norm of (adversarial − input), in input units. */
  eps: number;
  /** The norm that measures the perturbation: 'linf' (default) or 'l2'. */
  norm?: Norm;
  /**
   * Targeted attack (default false): `target` holds the classes to reach, and the attack lowers
   * their loss; untargeted, `target` holds the true labels and the attack raises their loss.
   */
  targeted?: boolean;
  /**
   * The valid input range [min, max] the adversarial input is clamped to (default [0, 1], images
   * scaled to [0, 1]); null for none, e.g. for inputs normalized inside the data pipeline.
   */
  bounds?: readonly [number, number] | null;
  /** The loss the attack climbs (default cross-entropy, summed over the batch). */
  loss?: (output: Tensor, target: Tensor) => Tensor;
}

/** Checks an attack's batch, labels and budget; `op` names the attack in the errors. */
export function checkAttack(
  input: Tensor,
  target: Tensor,
  options: AttackOptions,
  op: string,
): void {
  check(
    target.ndim === 1 && target.shape[0] === input.shape[0],
    op,
    () =>
      `target should hold one class per input, shape [${input.shape[0]}], got ${fmt(target.shape)} for input ${fmt(input.shape)}`,
  );
  check(
    Number.isFinite(options.eps) && options.eps >= 0,
    op,
    () => `eps must be a finite number ≥ 0, got ${options.eps}`,
  );
  const norm = options.norm ?? 'linf';
  check(
    norm === 'linf' || norm === 'l2',
    op,
    () => `norm must be 'linf' or 'l2', got '${norm as string}'`,
  );
  const bounds = options.bounds;
  check(
    !bounds || bounds[0] < bounds[1],
    op,
    () => `bounds must be [min, max] with min < max, got ${JSON.stringify(bounds)}`,
  );
}

/**
 * The gradient of the attack's loss at `input`, pointing where the attack wants to go: up the
 * loss of the true labels (untargeted), or down the loss of the target classes (targeted).
 */
export function attackGradient(
  model: Module,
  input: Tensor,
  target: Tensor,
  options: AttackOptions,
): Tensor {
  const loss = options.loss ?? ((o: Tensor, t: Tensor) => crossEntropy(o, t, { reduction: 'sum' }));
  const { gradient } = inputGradient(model, input, (output) => loss(output, target));
  return options.targeted ? noGrad(() => gradient.neg()) : gradient;
}

/** `x` clamped to the attack's bounds (default [0, 1]), or `x` itself when bounds is null. */
export function clampToBounds(x: Tensor, options: AttackOptions): Tensor {
  const bounds = options.bounds === undefined ? ([0, 1] as const) : options.bounds;
  return bounds ? noGrad(() => clamp(x, bounds[0], bounds[1])) : x;
}
