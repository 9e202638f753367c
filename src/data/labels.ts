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
 * Checks that every label is an integer class id in [0, numClasses); `where(i)` says where label
 * i came from (a file and byte offset) for the error message.
 */
export function checkLabels(
  labels: TypedArray,
  numClasses: number,
  op: string,
  where: (i: number) => string,
): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    check(
      Number.isInteger(label) && label >= 0 && label < numClasses,
      op,
      () => `label ${label} at ${where(i)} is not a class id in [0, ${numClasses})`,
    );
  }
}
