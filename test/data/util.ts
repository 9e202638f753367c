/** Helpers shared by the data tests: temporary folders and FoveaError assertions. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { FoveaError } from '../../src/tensor/errors.js';

/** A fresh temporary folder (its name may be given a prefix), removed when the test file ends. */
export function tempDir(prefix = 'fovea-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `bytes` to `dir/name`, creating folders on the way; returns the path. */
export function put(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** Asserts that `fn` throws a FoveaError of `op` whose message matches every pattern. */
export function throwsFovea(fn: () => unknown, op: string, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => matchesFovea(e, op, patterns));
}

/** The async form of `throwsFovea`. */
export async function rejectsFovea(
  fn: () => Promise<unknown>,
  op: string,
  ...patterns: RegExp[]
): Promise<void> {
  await assert.rejects(fn, (e: unknown) => matchesFovea(e, op, patterns));
}

function matchesFovea(e: unknown, op: string, patterns: RegExp[]): boolean {
  assert.ok(e instanceof FoveaError, `expected a FoveaError, got ${String(e)}`);
  assert.equal(e.op, op, e.message);
  for (const p of patterns) assert.match(e.message, p);
  return true;
}
