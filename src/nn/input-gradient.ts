import type { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';

/**
 * Runs `fn` with `model` in eval mode and its parameters not requiring gradients, then restores
 * both: what attribution methods and attacks need, so that a backward pass reaches only the
 * tensors they ask about and leaves the parameters' `.grad` (and batch-norm statistics) alone.
 *
 * @example
 * withFrozenModel(model, () => { const x = images.detach().requireGrad(); model.forward(x).sum().backward(); return x.grad; });
 */
export function withFrozenModel<T>(model: Module, fn: () => T): T {
  const parameters = model.parameters();
  const trainable = parameters.map((p) => p.requiresGrad);
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  parameters.forEach((p) => (p.requiresGrad = false));
  model.eval();
  try {
    return fn();
  } finally {
    parameters.forEach((p, i) => (p.requiresGrad = trainable[i]));
    for (const [m, training] of modes) m.training = training;
  }
}

/**
 * The gradient of `objective(model(input))` (a scalar) with respect to `input`, as
 * `torch.autograd.grad`, with the model frozen and in eval mode (see `withFrozenModel`). Returns
 * the model's output (detached) and the gradient (shaped like `input`).
 *
 * @example
 * const { gradient } = inputGradient(model, images, (logits) => crossEntropy(logits, labels));
 */
export function inputGradient(
  model: Module,
  input: Tensor,
  objective: (output: Tensor) => Tensor,
): { output: Tensor; gradient: Tensor } {
  return withFrozenModel(model, () => {
    const x = input.detach().requireGrad();
    const output = model.forward(x);
    objective(output).backward();
    return { output: output.detach(), gradient: x.grad! };
  });
}
