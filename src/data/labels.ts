/** Class labels: checking them against the class count. */
import type { TypedArray } from '../backend/dtype.js';
import { check } from '../tensor/errors.js';

/**
 * The index of the first label that is not an integer class id in [0, numClasses), or -1 when
 * all are; file readers use it to name the offending byte offset in their own error.
 */
export function firstBadLabel(labels: TypedArray, numClasses: number): number {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(Number.isInteger(label) && label >= 0 && label < numClasses)) return i;
  }
  return -1;
}

/**
 * Checks that every label is an integer class id in [0, numClasses); `where(i)` says where label
 * i came from for the error message.
 */
export function checkLabels(
  labels: TypedArray,
  numClasses: number,
  op: string,
  where: (i: number) => string,
): void {
  const i = firstBadLabel(labels, numClasses);
  check(
    i < 0,
    op,
    () => `label ${labels[i]} at ${where(i)} is not a class id in [0, ${numClasses})`,
  );
}
