import { noGrad } from '../autograd/grad-mode.js';
import { add, mul } from '../ops/arithmetic.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { attackGradient, checkAttack, clampToBounds, type AttackOptions } from './attack.js';
import { steepestStep } from './norm-ball.js';

/**
 * The fast gradient sign method (Goodfellow et al., 2015): one step of size eps along the sign
 * of the loss's input gradient, x + eps · sign(∇ₓ loss) (minus, towards the target, when
 * targeted), clamped to the bounds. With `norm: 'l2'` it is the fast gradient method in L2, a
 * step of eps along ∇ₓ loss / ‖∇ₓ loss‖₂ per sample. The model runs in eval mode; its gradients
 * are untouched. Shape: the input's.
 *
 * @example
 * const adversarial = fgsm(model, images, labels, { eps: 8 / 255 });
 */
export function fgsm(model: Module, input: Tensor, target: Tensor, options: AttackOptions): Tensor {
  checkAttack(input, target, options, 'fgsm');
  const gradient = attackGradient(model, input, target, options);
  const step = steepestStep(gradient, options.norm ?? 'linf');
  return clampToBounds(
    noGrad(() => add(input, mul(step, options.eps))),
    options,
  );
}
