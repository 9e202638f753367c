/** Class labels: reading class-name files and checking labels against the class count. */
import type { TypedArray } from '../backend/dtype.js';
import { check } from '../tensor/errors.js';
import { readFileCapped } from './files.js';

const MAX_CLASS_FILE_BYTES = 1 << 20;

/**
 * Class names from a text file with one name per line (`classes.txt`, CIFAR's
 * `batches.meta.txt`); surrounding blank lines and spaces are dropped.
 */
export function readClassNames(path: string, op: string): string[] {
  const text = new TextDecoder().decode(readFileCapped(path, op, MAX_CLASS_FILE_BYTES));
  const names = text.split(/\r?\n/).map((line) => line.trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  while (names.length > 0 && names[0] === '') names.shift();
  check(names.length > 0, op, () => `${path}: expected one class name per line, found none`);
  return names;
}

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
