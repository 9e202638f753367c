import { isFloat } from '../backend/dtype.js';
import { check, fmt } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFloat } from './util.js';

/**
 * Checks batched logits [N, C, d1, ...] and integer class indices [N, d1, ...], each in 0..C−1
 * or equal to `ignoreIndex`, for the losses that take only batches (focal, Dice); returns C.
 */
export function checkClassIndexTarget(
  logits: Tensor,
  target: Tensor,
  ignoreIndex: number,
  op: string,
): number {
  checkFloat(logits, op, 'logits');
  check(
    logits.ndim >= 2,
    op,
    () => `logits must have shape [N, C, d1, ...], got ${fmt(logits.shape)}`,
  );
  const classes = logits.shape[1];
  check(
    !isFloat(target.dtype),
    op,
    () =>
      `target must hold class indices as an integer tensor, got ${target.dtype} (convert with .int())`,
  );
  const expected = [logits.shape[0], ...logits.shape.slice(2)];
  check(
    sameShape(target.shape, expected),
    op,
    () =>
      `target of shape ${fmt(target.shape)} must have shape ${fmt(expected)}: one class index per sample of logits ${fmt(logits.shape)}`,
  );
  const bad = target.data.find((v) => v !== ignoreIndex && (v < 0 || v >= classes));
  check(
    bad === undefined,
    op,
    () =>
      `target class ${bad} is out of range for ${classes} classes (expected 0..${classes - 1}, or ignoreIndex ${ignoreIndex})`,
  );
  return classes;
}
