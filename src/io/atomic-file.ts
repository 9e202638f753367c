/**
 * Crash-safe file writes: a file is written beside its final path, flushed to disk, then renamed
 * over it, so a reader (or a run resumed after a crash or a kill) finds either the old file or the
 * new one, never a partial one. POSIX rename within one folder is atomic; that is why the
 * temporary file lives in the same folder and not in the system's temp folder.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FoveaError } from '../tensor/errors.js';

/**
 * Writes `data` to `path` atomically: a temporary file in the same folder, fsync, rename, then an
 * fsync of the folder so the rename itself survives a power cut. Errors are FoveaErrors of `op`
 * naming the path; the temporary file is removed on failure.
 *
 * @example
 * writeFileAtomic('run/model.safetensors', bytes, 'saveSafetensors');
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, op: string): void {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', 0o644);
    writeFileSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw new FoveaError(op, `${path}: cannot write the file (${(e as Error).message})`);
  }
  syncFolder(dirname(path));
}

/** Flushes a folder's entries (the rename) to disk; a no-op where folders cannot be opened. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
