import { noGrad } from '../autograd/grad-mode.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import type { Module } from '../nn/module.js';
import { check } from '../tensor/errors.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { attackGradient, checkAttack, clampToBounds, type AttackOptions } from './attack.js';
import { projectToBall, randomInBall, steepestStep } from './norm-ball.js';

/** Options of `pgd`. */
export interface PgdOptions extends AttackOptions {
  /** Gradient steps (default 10). */
  steps?: number;
  /** Length of each step, in the norm (default 2.5 · eps / steps, as Madry et al.). */
  stepSize?: number;
  /** Start from a uniform random point of the ball instead of the input (default true). */
  randomStart?: boolean;
  /** Draws the random start (default: the default generator). */
  generator?: Generator;
}

/**
 * Projected gradient descent (Madry et al., 2018), the standard strong first-order attack:
 * from the input (or a random point of the eps-ball around it), `steps` times take a step of
 * `stepSize` along the steepest direction of the norm (sign of the gradient for L∞, the
 * normalized gradient for L2), project back into the eps-ball around the input, and clamp to
 * the bounds. Targeted attacks descend the target classes' loss. The model runs in eval mode;
 * its gradients are untouched. Shape: the input's.
 *
 * @example
 * const adversarial = pgd(model, images, labels, { eps: 0.1, steps: 20 });
 * const l2 = pgd(model, images, labels, { eps: 1.5, norm: 'l2' });
 */
export function pgd(model: Module, input: Tensor, target: Tensor, options: PgdOptions): Tensor {
  checkAttack(input, target, options, 'pgd');
  const { eps, norm = 'linf', steps = 10, randomStart = true } = options;
  const { generator = defaultGenerator } = options;
  const stepSize = options.stepSize ?? (2.5 * eps) / steps;
  check(
    Number.isInteger(steps) && steps >= 1 && stepSize >= 0,
    'pgd',
    () =>
      `steps must be a positive integer and stepSize ≥ 0, got steps ${steps}, stepSize ${stepSize}`,
  );
  const start = randomStart
    ? noGrad(() => add(input, randomInBall(input.shape, eps, norm, generator)))
    : input;
  let adversarial = clampToBounds(start, options);
  for (let s = 0; s < steps; s++) {
    const step = steepestStep(attackGradient(model, adversarial, target, options), norm);
    const moved = noGrad(() => add(adversarial, mul(step, stepSize)));
    const delta = projectToBall(
      noGrad(() => sub(moved, input)),
      eps,
      norm,
    );
    adversarial = clampToBounds(
      noGrad(() => add(input, delta)),
      options,
    );
  }
  return adversarial.detach();
}
