/**
 * Running the model for a check without changing it: the data checks run forward and backward
 * passes (in training mode, so dropout and batch statistics behave as in training), which would
 * otherwise move batch-norm running statistics, leave gradients behind and advance the random
 * stream. `probe` puts all of that back.
 */
import type { Module } from '../nn/module.js';
import { defaultGenerator } from '../tensor/random.js';

/**
 * Runs `fn` with `model` in training mode and restores afterwards its buffers, the gradients and
 * requiresGrad flags of its parameters, every module's mode and the default generator's state.
 * Parameters are not restored: `fn` must not step an optimizer.
 */
export function probe<T>(model: Module, fn: () => T): T {
  const buffers = model.namedBuffers().map(([, b]) => [b, b.data.slice()] as const);
  const params = model.parameters().map((p) => [p, p.grad, p.requiresGrad] as const);
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  const random = defaultGenerator.getState();
  try {
    model.train();
    return fn();
  } finally {
    for (const [b, data] of buffers) b.data.set(data);
    for (const [p, grad, requiresGrad] of params) {
      p.grad = grad;
      p.requiresGrad = requiresGrad;
    }
    for (const [m, training] of modes) m.training = training;
    defaultGenerator.setState(random);
  }
}
