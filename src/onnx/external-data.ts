/**
 * ONNX external data: a large initializer's bytes in a file next to the model, named by the
 * tensor's `external_data` entries (`location`, optional `offset` and `length`). Only files inside
 * the model's folder are read: a location that is absolute, climbs out with `..`, or resolves
 * outside the folder through a symbolic link is refused.
 */
import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { FoveaError } from '../tensor/errors.js';
import type { TensorProto } from './proto.js';
import type { TensorSource } from './tensor-proto.js';

/** Reads `byteCount` bytes of a tensor stored outside the model, after checking where it points. */
export function readExternalData(
  proto: TensorProto,
  byteCount: number,
  source: TensorSource,
  where: string,
): Uint8Array {
  const entries = new Map((proto.external_data ?? []).map((e) => [e.key ?? '', e.value ?? '']));
  const location = entries.get('location');
  if (!location) throw new FoveaError('onnx', `${where}: external data has no location`);
  if (!source.modelDir) {
    throw new FoveaError(
      'onnx',
      `${where}: external data '${location}' needs the model's folder (load the model from a path)`,
    );
  }
  const path = insideFolder(source.modelDir, location, where);
  const offset = nonNegative(entries.get('offset') ?? '0', 'offset', where);
  const length = nonNegative(entries.get('length') ?? String(byteCount), 'length', where);
  const fileSize = statSync(path).size;
  if (length !== byteCount || offset + length > fileSize) {
    throw new FoveaError(
      'onnx',
      `${where}: external data '${location}' (${fileSize} bytes) must hold ${byteCount} bytes at offset ${offset}, got length ${length}`,
    );
  }
  const bytes = new Uint8Array(byteCount);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, bytes, 0, byteCount, offset);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Resolves `location` inside `folder`, refusing anything that leaves it. */
function insideFolder(folder: string, location: string, where: string): string {
  const refuse = (why: string): never => {
    throw new FoveaError(
      'onnx',
      `${where}: external data location '${location}' ${why}; only files inside the model's folder ${folder} are read`,
    );
  };
  if (isAbsolute(location) || /^[a-zA-Z]:/.test(location)) refuse('is an absolute path');
  const normalized = normalize(location);
  if (normalized.split(/[\\/]/).includes('..')) refuse('leaves the folder with ..');
  let real: string;
  try {
    real = realpathSync(join(folder, normalized));
  } catch {
    return refuse('does not exist');
  }
  const inside = relative(realpathSync(folder), real);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    refuse('resolves outside the folder (through a link)');
  }
  return real;
}

function nonNegative(text: string, key: string, where: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new FoveaError(
      'onnx',
      `${where}: external data ${key} must be a non-negative integer, got '${text}'`,
    );
  }
  return value;
}
