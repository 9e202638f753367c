/**
 * IDX files, the format of MNIST and its family, as bytes: decoding (not gzipped) and encoding,
 * with no file system or zlib, so the browser build has them too. idx.ts adds gzip and files.
 *
 * A file is a 4-byte magic number — two zero bytes, a type code and the number of dimensions —
 * then each dimension's size as a big-endian uint32, then the elements, big-endian, row-major.
 * Type codes: 0x08 ubyte, 0x09 sbyte, 0x0B short (int16), 0x0C int (int32), 0x0D float (float32),
 * 0x0E double (float64). Reading gives uint8 for ubyte, int32 for the other integers, float32 and
 * float64 for the floats.
 *
 * Nothing read is trusted: the size the header declares is checked against the cap and against
 * the bytes actually there before anything is allocated. Errors are LoadErrors naming the data and
 * the byte offset.
 */
import type { DType, TypedArray } from '../backend/dtype.js';
import { getBackend } from '../tensor/backend-registry.js';
import { LoadError, check, fmt } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { htmlHint } from '../io/sniff.js';
import { MAX_DATA_BYTES } from './limits.js';

/**
 * The element types of IDX files, by the names of LeCun's description of the format.
 *
 * @example
 * saveIdx('scores-idx1-float', scores, { type: 'float' as IdxType }); // type code 0x0D
 */
export type IdxType = 'ubyte' | 'sbyte' | 'short' | 'int' | 'float' | 'double';

interface IdxKind {
  name: IdxType;
  code: number;
  size: number;
  dtype: DType;
  read(view: DataView, offset: number): number;
  write(view: DataView, offset: number, value: number): void;
  /** The integer range a value must be in to be written; absent for floats. */
  range?: [number, number];
}

const KINDS: readonly IdxKind[] = [
  {
    name: 'ubyte',
    code: 0x08,
    size: 1,
    dtype: 'uint8',
    read: (v, o) => v.getUint8(o),
    write: (v, o, x) => v.setUint8(o, x),
    range: [0, 255],
  },
  {
    name: 'sbyte',
    code: 0x09,
    size: 1,
    dtype: 'int32',
    read: (v, o) => v.getInt8(o),
    write: (v, o, x) => v.setInt8(o, x),
    range: [-128, 127],
  },
  {
    name: 'short',
    code: 0x0b,
    size: 2,
    dtype: 'int32',
    read: (v, o) => v.getInt16(o),
    write: (v, o, x) => v.setInt16(o, x),
    range: [-32768, 32767],
  },
  {
    name: 'int',
    code: 0x0c,
    size: 4,
    dtype: 'int32',
    read: (v, o) => v.getInt32(o),
    write: (v, o, x) => v.setInt32(o, x),
    range: [-0x80000000, 0x7fffffff],
  },
  {
    name: 'float',
    code: 0x0d,
    size: 4,
    dtype: 'float32',
    read: (v, o) => v.getFloat32(o),
    write: (v, o, x) => v.setFloat32(o, x),
  },
  {
    name: 'double',
    code: 0x0e,
    size: 8,
    dtype: 'float64',
    read: (v, o) => v.getFloat64(o),
    write: (v, o, x) => v.setFloat64(o, x),
  },
];

/** The type each dtype is written as when no type is given. */
const DEFAULT_TYPE: Record<DType, IdxType> = {
  uint8: 'ubyte',
  int32: 'int',
  float32: 'float',
  float64: 'double',
};

const TYPE_LIST = KINDS.map((k) => `${hex(k.code)} (${k.name})`).join(', ');
const GZIP_MAGIC = [0x1f, 0x8b];
/** Throws a LoadError naming the data. */
export type Fail = (message: string) => never;

/** A parsed IDX header: element kind, shape, and where the data starts and must end. */
interface Header {
  kind: IdxKind;
  shape: number[];
  dataStart: number;
  dataEnd: number;
}

/**
 * Decodes the bytes of an IDX file into a tensor of the shape the file declares; gzipped bytes
 * (magic 1f 8b) go through `gunzip`, and without one are refused, saying how to decompress them.
 * `source` names the data in error messages.
 */
export function decodeIdx(
  bytes: Uint8Array,
  source: string,
  gunzip?: (bytes: Uint8Array, fail: Fail) => Uint8Array,
): Tensor {
  const fail: Fail = (message) => {
    throw new LoadError('loadIdx', source, message);
  };
  if (!isGzip(bytes)) return decode(bytes, fail, '');
  if (!gunzip) {
    fail(
      "the data is gzip-compressed; decompress it first (in a browser: new Response(stream.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())",
    );
  }
  return decode(gunzip(bytes, fail), fail, ' of the decompressed data');
}

/**
 * Decodes the bytes of an IDX file that is not gzipped (the browser build's `readIdx`; Node's
 * also takes gzipped bytes) into a tensor of the shape the file declares.
 *
 * @example
 * const labels = readIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1])); // ubyte, 1-D
 * labels.toArray(); // [7, 2, 1]
 */
export function readIdx(bytes: Uint8Array, source = '<buffer>'): Tensor {
  return decodeIdx(bytes, source);
}

/** Options of `encodeIdx` and `saveIdx`. */
export interface IdxWriteOptions {
  /**
   * Element type written (default: ubyte for uint8, int for int32, float for float32, double for
   * float64). Integer types refuse values that do not fit.
   */
  type?: IdxType;
}

/**
 * Encodes a tensor as the bytes of an IDX file (not compressed).
 *
 * @example
 * const bytes = encodeIdx(tensor([1, 2, 3], { dtype: 'uint8' }));
 * Array.from(bytes); // [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]
 */
export function encodeIdx(t: Tensor, options: IdxWriteOptions = {}): Uint8Array {
  const name = options.type ?? DEFAULT_TYPE[t.dtype];
  const kind = KINDS.find((k) => k.name === name);
  check(
    kind !== undefined,
    'saveIdx',
    () => `unknown IDX type '${name}' (expected ${KINDS.map((k) => k.name).join(', ')})`,
  );
  check(t.ndim <= 255, 'saveIdx', () => `IDX files hold at most 255 dimensions, got ${t.ndim}`);
  const dataStart = 4 + 4 * t.ndim;
  const out = new Uint8Array(dataStart + t.size * kind.size);
  const view = new DataView(out.buffer);
  out.set([0, 0, kind.code, t.ndim]);
  t.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < t.size; i++) {
    const x = t.data[i];
    if (kind.range) {
      const [lo, hi] = kind.range;
      check(
        Number.isInteger(x) && x >= lo && x <= hi,
        'saveIdx',
        () => `element ${i} is ${x}, which IDX type '${name}' cannot hold (integers ${lo}..${hi})`,
      );
    }
    kind.write(view, dataStart + i * kind.size, x);
  }
  return out;
}

/** Whether the bytes start with gzip's magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** Parses the magic number and dimensions; `note` qualifies offsets (decompressed or not). */
export function parseHeader(bytes: Uint8Array, fail: Fail, note: string): Header {
  const n = bytes.length;
  if (n < 4) {
    fail(
      `file is ${n} bytes${note}, too short for the IDX magic number at offsets 0..4 (expected at least 4 bytes)`,
    );
  }
  const kind = KINDS.find((k) => k.code === bytes[2]);
  if (bytes[0] !== 0 || bytes[1] !== 0 || !kind) {
    const found = Array.from(bytes.subarray(0, 4), hex).join(' ');
    fail(
      `not an IDX file: expected magic bytes 00 00 <type> <ndim> at offset 0${note}, found ${found} ` +
        `(types: ${TYPE_LIST})${htmlHint(bytes)}`,
    );
  }
  const ndim = bytes[3];
  const dataStart = 4 + 4 * ndim;
  if (n < dataStart) {
    fail(
      `file is ${n} bytes${note} but a ${ndim}-dimensional IDX header is ${dataStart} bytes ` +
        `(the size of dimension ${Math.floor((n - 4) / 4)} at offset ${n - ((n - 4) % 4)} is cut off)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const dataBytes = shape.reduce((p, d) => p * BigInt(d), BigInt(kind.size));
  if (BigInt(dataStart) + dataBytes > BigInt(MAX_DATA_BYTES)) {
    fail(
      `header at offsets 0..${dataStart}${note} declares shape ${fmt(shape)} of ${kind.name}, ${dataBytes} bytes of data, more than ` +
        `the ${MAX_DATA_BYTES} allowed`,
    );
  }
  return { kind, shape, dataStart, dataEnd: dataStart + Number(dataBytes) };
}

/** Parses the header, checks the data is exactly as long as declared, and decodes it. */
function decode(bytes: Uint8Array, fail: Fail, note: string): Tensor {
  const { kind, shape, dataStart, dataEnd } = parseHeader(bytes, fail, note);
  const what = `shape ${fmt(shape)} of ${kind.name} needs data at offsets ${dataStart}..${dataEnd}${note}`;
  if (bytes.length < dataEnd) fail(`file ends at offset ${bytes.length}${note} but ${what}`);
  if (bytes.length > dataEnd) {
    fail(`${what}, and ${bytes.length - dataEnd} more bytes follow (the file is not IDX?)`);
  }
  const count = (dataEnd - dataStart) / kind.size;
  const out: TypedArray = getBackend().alloc(kind.dtype, count);
  if (kind.size === 1 && kind.dtype === 'uint8') {
    out.set(bytes.subarray(dataStart, dataEnd));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, dataEnd - dataStart);
    for (let i = 0; i < count; i++) out[i] = kind.read(view, i * kind.size);
  }
  return new Tensor(out, shape, kind.dtype);
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
