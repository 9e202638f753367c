import { check } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { mean, sum } from './reduce.js';

/** How a loss combines its per-element values: their mean (default), their sum, or none. */
export type Reduction = 'mean' | 'sum' | 'none';

/** The reduction an options object asks for ('mean' when omitted), checked. */
export function lossReduction(reduction: Reduction | undefined, op: string): Reduction {
  const chosen = reduction ?? 'mean';
  check(
    chosen === 'mean' || chosen === 'sum' || chosen === 'none',
    op,
    () => `reduction must be 'mean', 'sum' or 'none', got '${String(chosen)}'`,
  );
  return chosen;
}

/** Applies a plain reduction: mean or sum over every element, or the loss itself. */
export function applyReduction(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}
