import { check } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';

/** Options of clipGradNorm. */
export interface ClipGradNormOptions {
  /** The p of the p-norm; Infinity for the largest absolute value (default 2). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite, instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

function gradsOf(params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  return list.filter((p) => p.grad !== null);
}

// Both clips replace `.grad` with a new tensor instead of writing into it: a gradient's storage
// may be shared with other tensors (autograd hands the same tensor to both inputs of an add).

/**
 * Scales the gradients of `params` so that their total norm (all gradients seen as one vector) is
 * at most `maxNorm`, as `torch.nn.utils.clip_grad_norm_`: each gradient is multiplied by
 * maxNorm / (norm + 1e-6) when that is below 1. Returns the total norm before clipping.
 * Parameters without a gradient are skipped.
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  { normType = 2, errorIfNonfinite = false }: ClipGradNormOptions = {},
): number {
  check(
    normType > 0,
    'clipGradNorm',
    () => `normType must be > 0 (Infinity for the max norm), got ${normType}`,
  );
  const grads = gradsOf(params);
  let total = 0;
  for (const p of grads) {
    for (const g of p.grad!.data) {
      total =
        normType === Infinity ? Math.max(total, Math.abs(g)) : total + Math.abs(g) ** normType;
    }
  }
  if (normType !== Infinity) total **= 1 / normType;
  check(
    !errorIfNonfinite || Number.isFinite(total),
    'clipGradNorm',
    () =>
      `the total norm of the gradients is ${total}, so they cannot be clipped; pass errorIfNonfinite: false to scale them anyway`,
  );
  const coefficient = maxNorm / (total + 1e-6);
  // `!(c >= 1)` rather than `c < 1`: a NaN norm makes every gradient NaN, as in PyTorch.
  if (!(coefficient >= 1)) {
    for (const p of grads) p.grad = scaled(p.grad!, (g) => g * coefficient);
  }
  return total;
}

/**
 * Clamps every gradient element of `params` into [−clipValue, clipValue], as
 * `torch.nn.utils.clip_grad_value_`. Parameters without a gradient are skipped.
 *
 * @example
 * loss.backward();
 * clipGradValue(model.parameters(), 0.5);
 * opt.step();
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  check(clipValue >= 0, 'clipGradValue', () => `clipValue must be >= 0, got ${clipValue}`);
  for (const p of gradsOf(params)) {
    p.grad = scaled(p.grad!, (g) => Math.min(Math.max(g, -clipValue), clipValue));
  }
}

function scaled(grad: Tensor, fn: (g: number) => number): Tensor {
  const out = grad.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i] = fn(out.data[i]);
  return out;
}
