/**
 * File access shared by the dataset readers: sizes checked before reading, every failure a
 * LoadError that names the file, and class-name files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { check, LoadError } from '../tensor/errors.js';
import { MAX_DATA_BYTES } from './limits.js';

/** The bytes of `path`, refusing files over `maxBytes` before reading them. */
export function readFileCapped(path: string, op: string, maxBytes = MAX_DATA_BYTES): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new LoadError(op, path, `cannot read the file (${(e as Error).message})`);
  }
  if (size > maxBytes) {
    throw new LoadError(op, path, `file is ${size} bytes, more than the ${maxBytes} allowed`);
  }
  try {
    return readFileSync(path);
  } catch (e) {
    throw new LoadError(op, path, `cannot read the file (${(e as Error).message})`);
  }
}

/** The names in `dir`, sorted; empty when `dir` is not a readable folder. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Whether `path` is a folder (following links). */
export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The path of the first of `names` present in `dir`, or undefined. */
export function findFile(dir: string, names: readonly string[]): string | undefined {
  const present = new Set(listDir(dir));
  const name = names.find((n) => present.has(n));
  return name === undefined ? undefined : join(dir, name);
}

/** Up to `max` names in `dir`, for error messages that say what was found instead. */
export function describeDir(dir: string, max = 8): string {
  const names = listDir(dir);
  if (names.length === 0) return isDir(dir) ? 'the folder is empty' : 'it is not a readable folder';
  const shown = names.slice(0, max).join(', ');
  return `it holds ${shown}${names.length > max ? `, ... (${names.length} entries)` : ''}`;
}

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
