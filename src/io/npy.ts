/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), read and written without NumPy.
 *
 * A file is the magic string `\x93NUMPY`, a version, a header length, a header that is a Python
 * dict literal (`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`) padded so the data
 * starts at a multiple of 64 bytes, then the raw elements. Nothing read from a file is trusted:
 * every length is checked against the bytes actually there before anything is allocated, and
 * every problem is a FoveaError naming the file, what was expected and what was found.
 *
 * Reading converts to fovea's dtypes: f4 and f2 → float32, f8 → float64, u1 and b1 → uint8, other
 * integers → int32 (i8, u4 and u8 only when every value fits). Writing uses `<f4`, `<f8`, `<i4`
 * and `|u1` by default, byte for byte as `np.save` writes them, or any numeric NumPy dtype asked
 * for (`{ dtype: 'i8' }`: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { DType, TypedArray } from '../backend/dtype.js';
import { getBackend } from '../tensor/backend-registry.js';
import { FoveaError, LoadError, fmt } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { floatToHalf, halfToFloat } from './half.js';
import { htmlHint } from './sniff.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_NDIM = 64; // NumPy 2's NPY_MAXDIMS
const ALIGN = 64; // NumPy's ARRAY_ALIGN: data starts at a multiple of this
const GROWTH_AXIS_MAX_DIGITS = 21; // NumPy leaves this much room to grow the first axis in place
const HEADER_KEYS = ['descr', 'fortran_order', 'shape'];
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** How one NumPy element type is read: its size, fovea's dtype for it, and a reader. */
interface ElementKind {
  size: number;
  dtype: DType;
  read(view: DataView, offset: number, littleEndian: boolean): number;
  /** Set for 64-bit and uint32 integers, whose values must be checked to fit in int32. */
  exact?(view: DataView, offset: number, littleEndian: boolean): bigint | number;
  /** Whether the file's bytes, in host byte order, are already the typed array's bytes. */
  raw?: boolean;
}

const KINDS = new Map<string, ElementKind>([
  ['f2', { size: 2, dtype: 'float32', read: (v, o, le) => halfToFloat(v.getUint16(o, le)) }],
  ['f4', { size: 4, dtype: 'float32', read: (v, o, le) => v.getFloat32(o, le), raw: true }],
  ['f8', { size: 8, dtype: 'float64', read: (v, o, le) => v.getFloat64(o, le), raw: true }],
  ['i1', { size: 1, dtype: 'int32', read: (v, o) => v.getInt8(o) }],
  ['i2', { size: 2, dtype: 'int32', read: (v, o, le) => v.getInt16(o, le) }],
  ['i4', { size: 4, dtype: 'int32', read: (v, o, le) => v.getInt32(o, le), raw: true }],
  [
    'i8',
    {
      size: 8,
      dtype: 'int32',
      read: (v, o, le) => Number(v.getBigInt64(o, le)),
      exact: (v, o, le) => v.getBigInt64(o, le),
    },
  ],
  ['u1', { size: 1, dtype: 'uint8', read: (v, o) => v.getUint8(o), raw: true }],
  ['u2', { size: 2, dtype: 'int32', read: (v, o, le) => v.getUint16(o, le) }],
  [
    'u4',
    {
      size: 4,
      dtype: 'int32',
      read: (v, o, le) => v.getUint32(o, le),
      exact: (v, o, le) => v.getUint32(o, le),
    },
  ],
  [
    'u8',
    {
      size: 8,
      dtype: 'int32',
      read: (v, o, le) => Number(v.getBigUint64(o, le)),
      exact: (v, o, le) => v.getBigUint64(o, le),
    },
  ],
  ['b1', { size: 1, dtype: 'uint8', read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) }],
]);

/** A numeric NumPy dtype fovea writes, optionally with its byte-order mark ('<i8', '|u1'). */
export type NpyDtype =
  | 'f2'
  | 'f4'
  | 'f8'
  | 'i1'
  | 'i2'
  | 'i4'
  | 'i8'
  | 'u1'
  | 'u2'
  | 'u4'
  | 'u8'
  | 'b1'
  | `${'<' | '|'}${'f2' | 'f4' | 'f8' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'b1'}`;

/** How one NumPy element type is written: item size, a little-endian writer, integer range. */
interface ElementWriter {
  size: number;
  write(view: DataView, offset: number, value: number): void;
  /** For integer types: the smallest and largest value that fits. */
  range?: readonly [number, number];
}

const WRITERS = new Map<string, ElementWriter>([
  ['f2', { size: 2, write: (v, o, x) => v.setUint16(o, floatToHalf(x), true) }],
  ['f4', { size: 4, write: (v, o, x) => v.setFloat32(o, x, true) }],
  ['f8', { size: 8, write: (v, o, x) => v.setFloat64(o, x, true) }],
  ['i1', { size: 1, write: (v, o, x) => v.setInt8(o, x), range: [-(2 ** 7), 2 ** 7 - 1] }],
  ['i2', { size: 2, write: (v, o, x) => v.setInt16(o, x, true), range: [-(2 ** 15), 2 ** 15 - 1] }],
  ['i4', { size: 4, write: (v, o, x) => v.setInt32(o, x, true), range: [-(2 ** 31), 2 ** 31 - 1] }],
  [
    'i8',
    {
      size: 8,
      write: (v, o, x) => v.setBigInt64(o, BigInt(x), true),
      range: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    },
  ],
  ['u1', { size: 1, write: (v, o, x) => v.setUint8(o, x), range: [0, 2 ** 8 - 1] }],
  ['u2', { size: 2, write: (v, o, x) => v.setUint16(o, x, true), range: [0, 2 ** 16 - 1] }],
  ['u4', { size: 4, write: (v, o, x) => v.setUint32(o, x, true), range: [0, 2 ** 32 - 1] }],
  [
    'u8',
    {
      size: 8,
      write: (v, o, x) => v.setBigUint64(o, BigInt(x), true),
      range: [0, Number.MAX_SAFE_INTEGER],
    },
  ],
  // As NumPy's astype(bool): any non-zero value is True.
  ['b1', { size: 1, write: (v, o, x) => v.setUint8(o, x === 0 ? 0 : 1) }],
]);

/** The NumPy dtype each fovea dtype is written as by default (what `np.save` writes for it). */
const DEFAULT_WRITE: Record<DType, string> = {
  float32: 'f4',
  float64: 'f8',
  int32: 'i4',
  uint8: 'u1',
};

/** Options of `encodeNpy` and `saveNpy`. */
export interface SaveNpyOptions {
  /** The NumPy dtype to write (default: f4, f8, i4 or u1 for float32, float64, int32, uint8). */
  dtype?: NpyDtype;
}

/** A value of the tiny Python literal language of .npy headers. */
type PyValue = string | number | boolean | null | PyValue[] | Map<string, PyValue>;

type Fail = (message: string) => never;

/**
 * Decodes the bytes of a `.npy` file into a tensor. `source` names the data in error messages.
 *
 * @example
 * const t = readNpy(encodeNpy(tensor([[1, 2], [3, 4]])));
 * t.shape; // [2, 2]
 * readNpy(new Uint8Array(3), 'x.npy'); // throws LoadError: loadNpy: x.npy: file is 3 bytes, ...
 */
export function readNpy(bytes: Uint8Array, source = '<buffer>'): Tensor {
  const fail: Fail = (message) => {
    throw new LoadError('loadNpy', source, message);
  };
  const { text, headerStart, dataStart } = readPreamble(bytes, fail);
  // The header's meaning is checked as a whole, so its errors point at the whole header.
  const failInHeader: Fail = (message) =>
    fail(`${message} (header at offsets ${headerStart}..${dataStart})`);
  const { descr, kind, littleEndian, fortranOrder, shape } = interpretHeader(
    parseHeader(text, headerStart, fail),
    failInHeader,
  );

  // Check the size before allocating anything; BigInt cannot overflow.
  const available = bytes.length - dataStart;
  const needed = shape.reduce((n, d) => n * BigInt(d), BigInt(kind.size));
  if (needed !== BigInt(available)) {
    fail(
      `data at offsets ${dataStart}..${bytes.length} is ${available} bytes but shape ${fmt(shape)} ` +
        `of ${descr} needs ${needed} bytes (expected a file of ${BigInt(dataStart) + needed} bytes, ` +
        `found ${bytes.length})`,
    );
  }

  const count = available / kind.size;
  const out = getBackend().alloc(kind.dtype, count);
  const transpose = fortranOrder && shape.length > 1;
  const target = transpose ? getBackend().alloc(kind.dtype, count) : out;
  const data = bytes.subarray(dataStart);
  if (kind.raw && littleEndian === LITTLE_ENDIAN_HOST) {
    new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(data);
  } else {
    decode(data, dataStart, descr, kind, littleEndian, target, fail);
  }
  if (transpose) fortranToC(target, out, shape);
  return new Tensor(out, shape, kind.dtype);
}

/**
 * Reads a `.npy` file written by NumPy (`np.save`), fovea or any other tool.
 *
 * @example
 * // python: np.save('weights.npy', np.random.randn(32, 1, 3, 3).astype('f4'))
 * const w = loadNpy('weights.npy'); // Tensor [32,1,3,3] float32
 */
export function loadNpy(path: string): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new LoadError('loadNpy', path, `cannot read the file (${(e as Error).message})`);
  }
  return readNpy(bytes, path);
}

/**
 * Encodes a tensor as the bytes of a `.npy` file (format 1.0, C order, little-endian), identical
 * to what `np.save` writes for the same array.
 *
 * @example
 * const bytes = encodeNpy(tensor([1, 2, 3])); // float32, descr '<f4', shape (3,)
 * bytes.length; // 140: 128 bytes of preamble and header, then 3 × 4 bytes of data
 */
export function encodeNpy(t: Tensor, options: SaveNpyOptions = {}): Uint8Array {
  if (t.ndim > MAX_NDIM) {
    throw new FoveaError(
      'saveNpy',
      `tensor has ${t.ndim} dimensions but .npy files hold at most ${MAX_NDIM}`,
    );
  }
  const kind = (options.dtype ?? DEFAULT_WRITE[t.dtype]).replace(/^[<|]/, '');
  const writer = WRITERS.get(kind);
  if (!writer) {
    throw new FoveaError(
      'saveNpy',
      `unknown dtype '${options.dtype}'; expected one of ${[...WRITERS.keys()].join(', ')}`,
    );
  }
  if (writer.range) checkFits(t, kind, writer.range);
  const { size, write } = writer;
  const descr = `${size === 1 ? '|' : '<'}${kind}`;
  const dims = t.ndim === 1 ? `${t.shape[0]},` : t.shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  if (t.ndim > 0) header += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(t.shape[0]).length);
  const headerStart = MAGIC.length + 4; // magic, version 1.0, uint16 header length
  header += ' '.repeat(ALIGN - ((headerStart + header.length + 1) % ALIGN)) + '\n';
  const dataStart = headerStart + header.length;

  const out = new Uint8Array(dataStart + t.size * size);
  const view = new DataView(out.buffer);
  out.set(MAGIC);
  out[6] = 1; // version 1.0
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[headerStart + i] = header.charCodeAt(i);
  if (LITTLE_ENDIAN_HOST && kind === DEFAULT_WRITE[t.dtype]) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), dataStart);
  } else {
    for (let i = 0; i < t.size; i++) write(view, dataStart + i * size, t.data[i]);
  }
  return out;
}

/** Checks that every value of `t` is an integer in `range`, as integer dtype `kind` needs. */
function checkFits(t: Tensor, kind: string, [min, max]: readonly [number, number]): void {
  const index = t.data.findIndex((v) => !Number.isInteger(v) || v < min || v > max);
  if (index >= 0) {
    throw new FoveaError(
      'saveNpy',
      `value ${t.data[index]} at flat index ${index} does not fit dtype ${kind} (integers ${min}..${max}); round or clamp the tensor first`,
    );
  }
}

/**
 * Writes a tensor to a `.npy` file that `np.load` (and `loadNpy`) reads back, in its own dtype or
 * the NumPy dtype `options.dtype` (integer dtypes need integer values that fit).
 *
 * @example
 * saveNpy('logits.npy', model.forward(x)); // python: np.load('logits.npy')
 * saveNpy('labels.npy', labels, { dtype: 'i8' }); // int64, as PyTorch's class indices
 */
export function saveNpy(path: string, t: Tensor, options: SaveNpyOptions = {}): void {
  const bytes = encodeNpy(t, options);
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new FoveaError('saveNpy', `${path}: cannot write the file (${(e as Error).message})`);
  }
}

/** Checks the magic string, version and header length; returns the header text and offsets. */
function readPreamble(bytes: Uint8Array, fail: Fail) {
  const n = bytes.length;
  if (n < 8)
    fail(
      `file is ${n} bytes, too short for the magic string and version at offsets 0..8 (expected at least 8 bytes)`,
    );
  if (MAGIC.some((b, i) => bytes[i] !== b)) {
    const found = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0'));
    fail(
      `not a .npy file: expected magic bytes 93 4e 55 4d 50 59 at offset 0, found ${found.join(' ')}${htmlHint(bytes)}`,
    );
  }
  const [major, minor] = [bytes[6], bytes[7]];
  if (major < 1 || major > 3 || minor !== 0) {
    fail(
      `unsupported .npy format version ${major}.${minor} at offset 6 (expected 1.0, 2.0 or 3.0)`,
    );
  }
  const headerStart = major === 1 ? 10 : 12; // the header length is a uint16 in 1.0, else uint32
  if (n < headerStart) {
    fail(
      `file is ${n} bytes, too short for the format ${major}.0 header length at offsets 8..${headerStart}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES) {
    fail(
      `header length at offset 8 is ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} allowed`,
    );
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > n) {
    fail(
      `header of ${headerLength} bytes should end at offset ${dataStart} but the file is ${n} bytes`,
    );
  }
  // Versions 1.0 and 2.0 store the header in latin-1, 3.0 in UTF-8.
  let text = '';
  try {
    const decoder = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true });
    text = decoder.decode(bytes.subarray(headerStart, dataStart));
  } catch {
    fail(`header at offsets ${headerStart}..${dataStart} is not valid UTF-8`);
  }
  return { text, headerStart, dataStart };
}

/**
 * Parses the header's Python literal: dicts, tuples, lists, strings, integers, True, False and
 * None. `base` is the header's byte offset in the file, for error messages.
 */
function parseHeader(text: string, base: number, fail: Fail): PyValue {
  const WORD = /(?:([-+]?\d+)L?|True|False|None)(?![\w.])/y;
  let pos = 0;
  const where = () =>
    `at offset ${base + pos}, found ${pos < text.length ? JSON.stringify(text[pos]) : 'the end of the header'}`;
  const skipSpace = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (text[pos] !== ch) fail(`header: expected '${ch}' ${where()}`);
    pos++;
  };
  // Reads `open item, item, ... close` (trailing comma allowed); returns the items and whether a
  // comma was seen, since in Python `(5)` is 5 but `(5,)` is a tuple.
  const sequence = (close: string, item: () => void) => {
    pos++;
    let comma = false;
    for (skipSpace(); text[pos] !== close; skipSpace()) {
      item();
      skipSpace();
      if (text[pos] !== ',') break;
      comma = true;
      pos++;
    }
    expect(close);
    return comma;
  };
  const string = (): string => {
    const quote = text[pos++];
    let s = '';
    while (pos < text.length && text[pos] !== quote) {
      if (text[pos] === '\\') pos++;
      s += text[pos++] ?? '';
    }
    if (pos >= text.length) fail(`header: string not closed ${where()}`);
    pos++;
    return s;
  };
  const value = (depth: number): PyValue => {
    skipSpace();
    if (depth > 8) fail(`header: values nested too deeply ${where()}`);
    const ch = text[pos];
    if (ch === "'" || ch === '"') return string();
    if (ch === '(' || ch === '[') {
      const items: PyValue[] = [];
      const comma = sequence(ch === '(' ? ')' : ']', () => items.push(value(depth + 1)));
      return ch === '(' && items.length === 1 && !comma ? items[0] : items;
    }
    if (ch === '{') {
      const dict = new Map<string, PyValue>();
      sequence('}', () => {
        skipSpace();
        if (text[pos] !== "'" && text[pos] !== '"')
          fail(`header: expected a string key ${where()}`);
        const key = string();
        if (dict.has(key)) fail(`header: key '${key}' appears twice (before offset ${base + pos})`);
        expect(':');
        dict.set(key, value(depth + 1));
      });
      return dict;
    }
    WORD.lastIndex = pos;
    const match = WORD.exec(text);
    if (!match) fail(`header: expected a Python literal ${where()}`);
    pos = WORD.lastIndex;
    if (match[1] !== undefined) return Number(match[1]);
    return match[0] === 'None' ? null : match[0] === 'True';
  };
  const result = value(0);
  skipSpace();
  if (pos < text.length) fail(`header: unexpected text after the dict ${where()}`);
  return result;
}

/** Validates the parsed header and resolves its dtype, byte order, memory order and shape. */
function interpretHeader(header: PyValue, fail: Fail) {
  if (!(header instanceof Map)) fail(`header should be a dict but is ${repr(header)}`);
  for (const key of header.keys()) {
    if (!HEADER_KEYS.includes(key)) {
      fail(`header has unexpected key '${key}' (expected only 'descr', 'fortran_order', 'shape')`);
    }
  }
  for (const key of HEADER_KEYS) if (!header.has(key)) fail(`header has no '${key}' key`);

  const descr = header.get('descr');
  const supported = `fovea reads ${[...KINDS.keys()].join(', ')} in either byte order`;
  if (typeof descr !== 'string') {
    fail(
      `header 'descr' should be a dtype string such as '<f4' but is ${repr(descr)} (${supported})`,
    );
  }
  const match = /^([<>|=]?)([a-z]\d+)$/.exec(descr);
  const kind = match ? KINDS.get(match[2]) : undefined;
  if (!match || !kind) fail(`unsupported dtype '${descr}' (${supported})`);
  // '<' little, '>' big; '=', '|' and no mark mean native, which is how NumPy reads them too.
  const littleEndian = match[1] === '<' || (match[1] !== '>' && LITTLE_ENDIAN_HOST);

  const fortranOrder = header.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') {
    fail(`header 'fortran_order' should be True or False but is ${repr(fortranOrder)}`);
  }

  const shape = header.get('shape');
  if (!Array.isArray(shape))
    fail(`header 'shape' should be a tuple of integers but is ${repr(shape)}`);
  if (shape.length > MAX_NDIM) fail(`shape has ${shape.length} dimensions, more than ${MAX_NDIM}`);
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      fail(`shape ${repr(shape)} has ${repr(d)} at position ${i}; sizes must be integers >= 0`);
    }
  });
  const dims = (shape as number[]).map((d) => d + 0); // + 0 turns a -0 into 0
  return { descr, kind, littleEndian, fortranOrder, shape: dims };
}

/** Converts `out.length` elements of `kind` from `data` into `out`, checking the int32 range. */
function decode(
  data: Uint8Array,
  dataStart: number,
  descr: string,
  kind: ElementKind,
  littleEndian: boolean,
  out: TypedArray,
  fail: Fail,
): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0, offset = 0; i < out.length; i++, offset += kind.size) {
    const value = kind.read(view, offset, littleEndian);
    if (kind.exact && !(value >= -0x80000000 && value <= 0x7fffffff)) {
      const exact = kind.exact(view, offset, littleEndian);
      fail(
        `value ${exact} of dtype ${descr} at offset ${dataStart + offset} does not fit in int32 ` +
          `(fovea reads ${descr} as int32; convert the array in NumPy first, e.g. a.astype('f8'))`,
      );
    }
    out[i] = value;
  }
}

/** Copies `src`, laid out in Fortran (column-major) order, into `out` in C (row-major) order. */
function fortranToC(src: TypedArray, out: TypedArray, shape: readonly number[]): void {
  const ndim = shape.length;
  const strides: number[] = []; // Fortran strides: the first axis varies fastest
  for (let k = 0, s = 1; k < ndim; s *= shape[k], k++) strides.push(s);
  const index = new Array<number>(ndim).fill(0);
  let from = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = src[from];
    for (let k = ndim - 1; k >= 0; k--) {
      index[k]++;
      from += strides[k];
      if (index[k] < shape[k]) break;
      from -= index[k] * strides[k];
      index[k] = 0;
    }
  }
}

/** A header value as Python would print it, cut short for error messages. */
function repr(v: PyValue | undefined): string {
  let s: string;
  if (typeof v === 'string') s = `'${v}'`;
  else if (typeof v === 'boolean') s = v ? 'True' : 'False';
  else if (typeof v === 'number') s = String(v);
  else if (v === null) s = 'None';
  else if (v === undefined) s = 'nothing';
  else if (Array.isArray(v)) s = `(${v.map(repr).join(', ')}${v.length === 1 ? ',' : ''})`;
  else s = `{${[...v].map(([k, x]) => `'${k}': ${repr(x)}`).join(', ')}}`;
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
