import type { FusedActivation } from '../backend/fused-activation.js';
import { check } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './arithmetic.js';
import { gt, lt, where } from './compare.js';

/** Checks a conv's or linear's `activation` option: 'relu', 'relu6' or none. */
export function checkActivation(op: string, activation: FusedActivation | null | undefined): void {
  check(
    activation == null || activation === 'relu' || activation === 'relu6',
    op,
    () => `activation must be 'relu' or 'relu6' (or left out), got '${activation}'`,
  );
}

/**
 * g where the fused activation's slope at its output y is 1, else 0 (NaN included): the
 * gradient through relu (y > 0) or relu6 (0 < y < 6), as the relu and relu6 ops give it.
 */
export function activationGate(g: Tensor, y: Tensor, activation: FusedActivation): Tensor {
  const open = activation === 'relu' ? gt(y, 0) : mul(gt(y, 0), lt(y, 6));
  return where(open, g, 0);
}
