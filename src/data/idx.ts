/**
 * IDX files on disk and gzipped (idx-format.ts has the format itself). Gzipped files are
 * decompressed with an output limit equal to the size their header declares, so a decompression
 * bomb cannot allocate more than the file claims to hold.
 */
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { readFileCapped } from './files.js';
import {
  decodeIdx,
  encodeIdx,
  parseHeader,
  type Fail,
  type IdxWriteOptions,
} from './idx-format.js';

export { encodeIdx, type IdxType, type IdxWriteOptions } from './idx-format.js';

/**
 * Compressed prefixes tried, in turn, to reach the IDX header of a gzipped file. Real files reach
 * it within the first one; the last bounds what a crafted file can make us inflate before its
 * header is checked (about 1,000 × 16 KiB, deflate's maximum ratio).
 */
const HEADER_PREFIXES = [64, 1024, 16384];

/**
 * Decodes the bytes of an IDX file, gzipped (detected by its magic bytes 1f 8b) or not, into a
 * tensor of the shape the file declares. `source` names the data in error messages.
 *
 * @example
 * const labels = readIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1])); // ubyte, 1-D
 * labels.shape; // [3]
 * labels.toArray(); // [7, 2, 1]
 */
export function readIdx(bytes: Uint8Array, source = '<buffer>'): Tensor {
  return decodeIdx(bytes, source, gunzip);
}

/**
 * Reads an IDX file (`train-images-idx3-ubyte`, `t10k-labels-idx1-ubyte.gz`, ...).
 *
 * @example
 * const images = loadIdx('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');
 * images.shape; // [10000, 28, 28], uint8
 */
export function loadIdx(path: string): Tensor {
  return readIdx(readFileCapped(path, 'loadIdx'), path);
}

/**
 * Writes a tensor as an IDX file, gzipped when `path` ends in `.gz`.
 *
 * @example
 * saveIdx('train-labels-idx1-ubyte.gz', labels); // uint8 [N] → ubyte, 1 dimension, gzipped
 */
export function saveIdx(path: string, t: Tensor, options: IdxWriteOptions = {}): void {
  const raw = encodeIdx(t, options);
  const bytes = path.endsWith('.gz') ? gzipSync(raw, { level: 9 }) : raw;
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new FoveaError('saveIdx', `${path}: cannot write the file (${(e as Error).message})`);
  }
}

/**
 * Decompresses a gzipped IDX file in two steps: first just enough to read the header, then the
 * whole stream with its output capped at the size that header declares, so a decompression bomb
 * cannot allocate more than the file claims to hold (and the claim is itself capped).
 */
function gunzip(bytes: Uint8Array, fail: Fail): Uint8Array {
  const zlibFail = (e: unknown): never =>
    fail(
      `gzip stream at offsets 0..${bytes.length} is corrupt or truncated (zlib: ${(e as Error).message})`,
    );
  let head = new Uint8Array(0);
  for (const n of HEADER_PREFIXES) {
    try {
      // Z_SYNC_FLUSH returns what a cut-off stream decodes to instead of throwing.
      head = gunzipSync(bytes.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (e) {
      zlibFail(e);
    }
    if (n >= bytes.length || (head.length >= 4 && head.length >= 4 + 4 * head[3])) break;
  }
  const { dataEnd } = parseHeader(head, fail, ' of the decompressed data');
  try {
    return gunzipSync(bytes, { maxOutputLength: dataEnd });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      fail(`decompressed data is longer than the ${dataEnd} bytes its header declares`);
    }
    return zlibFail(e);
  }
}
