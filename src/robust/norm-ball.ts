import { noGrad } from '../autograd/grad-mode.js';
import { div, maximum, minimum, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { clamp, sign, sqrt } from '../ops/unary.js';
import { randn, uniform } from '../tensor/create.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/** The norm that measures a perturbation: L∞ (largest pixel change) or L2 (Euclidean length). */
export type Norm = 'linf' | 'l2';

/** Guards divisions by a norm that is 0. */
const TINY = 1e-12;

/** Each sample's L2 norm, [N, 1, ...] so it broadcasts over the sample. */
function sampleNorms(x: Tensor): Tensor {
  const dims = x.shape.map((_, i) => i).slice(1);
  return sqrt(sum(mul(x, x), dims, true));
}

/**
 * The unit step that raises a linear function with this gradient the most under the norm:
 * sign(g) for L∞, g / ‖g‖₂ per sample for L2.
 */
export function steepestStep(gradient: Tensor, norm: Norm): Tensor {
  return noGrad(() =>
    norm === 'linf' ? sign(gradient) : div(gradient, maximum(sampleNorms(gradient), TINY)),
  );
}

/** The nearest point to `delta` within the ball of radius eps: clamped (L∞) or rescaled per sample (L2). */
export function projectToBall(delta: Tensor, eps: number, norm: Norm): Tensor {
  return noGrad(() =>
    norm === 'linf'
      ? clamp(delta, -eps, eps)
      : mul(delta, minimum(div(eps, maximum(sampleNorms(delta), TINY)), 1)),
  );
}

/**
 * A perturbation drawn uniformly from the ball of radius eps, per sample: each entry uniform in
 * [−eps, eps] for L∞; a Gaussian direction at radius eps · u^(1/d) for L2 (d entries per sample).
 */
export function randomInBall(
  shape: readonly number[],
  eps: number,
  norm: Norm,
  generator: Generator,
): Tensor {
  if (norm === 'linf') return uniform(shape, -eps, eps, { generator });
  return noGrad(() => {
    const direction = randn(shape, { generator });
    const d = shape.slice(1).reduce((a, b) => a * b, 1);
    const radii = uniform([shape[0], ...shape.slice(1).map(() => 1)], 0, 1, { generator });
    radii.data.forEach((u, i) => (radii.data[i] = eps * u ** (1 / d)));
    return mul(div(direction, maximum(sampleNorms(direction), TINY)), radii);
  });
}
