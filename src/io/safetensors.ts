/**
 * safetensors files (https://github.com/huggingface/safetensors), read and written without the
 * Python package, as its reference implementation lays them out:
 *
 *   bytes 0..8    N, the header length, an unsigned 64-bit little-endian integer
 *   bytes 8..8+N  a JSON object, UTF-8, padded with spaces to a multiple of 8 bytes:
 *                 `{"__metadata__":{"format":"pt"},"fc.weight":{"dtype":"F32","shape":[10,84],
 *                 "data_offsets":[0,3360]},...}`
 *   the rest      the tensors' little-endian bytes, back to back; data_offsets count from here
 *
 * Nothing read from a file is trusted: the header is capped at 100 MB (the reference's limit), it
 * must be strict JSON with no duplicate keys and no `__proto__` or `constructor` key, the offsets
 * must tile the data exactly (no gap, no overlap, nothing past the end), and every size is checked
 * against the bytes there before anything is allocated. Each problem is a LoadError naming the
 * file and the byte offset.
 *
 * Writing uses F32, F64, I32 and U8. Reading converts to fovea's dtypes: F16 and BF16 → float32;
 * I8, I16, U16 → int32; I64, U32, U64 → int32 when every value fits; BOOL → uint8 (0 or 1).
 */
import { readFileSync } from 'node:fs';
import type { DType } from '../backend/dtype.js';
import { getBackend } from '../tensor/backend-registry.js';
import { FoveaError, LoadError, fmt } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic-file.js';
import { halfToFloat } from './half.js';
import { htmlHint } from './sniff.js';

const MAX_HEADER_BYTES = 100_000_000;
const MAX_NDIM = 64;
const METADATA_KEY = '__metadata__';
/** Keys that would reach Object.prototype if a consumer copied the header into a plain object. */
const FORBIDDEN_KEYS = ['__proto__', 'constructor'];
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The tensors of a safetensors file, in header order, and its `__metadata__` strings. */
export interface Safetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** How one safetensors dtype is read: item size, fovea dtype, a little-endian reader. */
interface ElementKind {
  size: number;
  dtype: DType;
  read(view: DataView, offset: number): number;
  /** For integers wider than int32 can hold: whether the element at `offset` fits. */
  fits?(view: DataView, offset: number): boolean;
  /** Whether the little-endian bytes are already the typed array's bytes. */
  raw?: boolean;
}

const scratch = new DataView(new ArrayBuffer(4));

const KINDS = new Map<string, ElementKind>([
  ['F64', { size: 8, dtype: 'float64', read: (v, o) => v.getFloat64(o, true), raw: true }],
  ['F32', { size: 4, dtype: 'float32', read: (v, o) => v.getFloat32(o, true), raw: true }],
  ['F16', { size: 2, dtype: 'float32', read: (v, o) => halfToFloat(v.getUint16(o, true)) }],
  [
    'BF16',
    {
      size: 2,
      dtype: 'float32',
      // bfloat16 is the top half of a float32.
      read: (v, o) => (scratch.setUint32(0, v.getUint16(o, true) << 16), scratch.getFloat32(0)),
    },
  ],
  [
    'I64',
    {
      size: 8,
      dtype: 'int32',
      read: (v, o) => v.getInt32(o, true),
      // It fits when the high word is the sign extension of the low one.
      fits: (v, o) => v.getInt32(o + 4, true) === v.getInt32(o, true) >> 31,
    },
  ],
  [
    'U64',
    {
      size: 8,
      dtype: 'int32',
      read: (v, o) => v.getInt32(o, true),
      fits: (v, o) => v.getUint32(o + 4, true) === 0 && v.getInt32(o, true) >= 0,
    },
  ],
  ['I32', { size: 4, dtype: 'int32', read: (v, o) => v.getInt32(o, true), raw: true }],
  [
    'U32',
    {
      size: 4,
      dtype: 'int32',
      read: (v, o) => v.getUint32(o, true),
      fits: (v, o) => v.getInt32(o, true) >= 0,
    },
  ],
  ['I16', { size: 2, dtype: 'int32', read: (v, o) => v.getInt16(o, true) }],
  ['U16', { size: 2, dtype: 'int32', read: (v, o) => v.getUint16(o, true) }],
  ['I8', { size: 1, dtype: 'int32', read: (v, o) => v.getInt8(o) }],
  ['U8', { size: 1, dtype: 'uint8', read: (v, o) => v.getUint8(o), raw: true }],
  ['BOOL', { size: 1, dtype: 'uint8', read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) }],
]);

/** How each fovea dtype is written; `rank` orders dtypes as the reference's dtype enum does. */
const WRITERS: Record<
  DType,
  { name: string; size: number; rank: number; write(v: DataView, o: number, x: number): void }
> = {
  float64: { name: 'F64', size: 8, rank: 3, write: (v, o, x) => v.setFloat64(o, x, true) },
  float32: { name: 'F32', size: 4, rank: 2, write: (v, o, x) => v.setFloat32(o, x, true) },
  int32: { name: 'I32', size: 4, rank: 1, write: (v, o, x) => v.setInt32(o, x, true) },
  uint8: { name: 'U8', size: 1, rank: 0, write: (v, o, x) => v.setUint8(o, x) },
};

type Fail = (message: string) => never;

/** One tensor entry of the header, checked for form but not yet against the data. */
interface Entry {
  name: string;
  /** File offset of the entry's key, for error messages. */
  at: number;
  kind: ElementKind;
  dtypeName: string;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Encodes named tensors (and optional string metadata) as the bytes of a safetensors file. The
 * layout matches the reference implementation byte for byte: compact JSON, `__metadata__` first,
 * tensors ordered by dtype (widest first, which keeps every tensor aligned to its item size) then
 * by name, the header padded with spaces to a multiple of 8.
 *
 * @example
 * const bytes = encodeSafetensors(new Map([['w', tensor([[1, 2], [3, 4]])]]), { format: 'pt' });
 * readSafetensors(bytes).tensors.get('w')!.shape; // [2, 2]
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, Tensor>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const fail: Fail = (message) => {
    throw new FoveaError('saveSafetensors', message);
  };
  for (const [name, t] of tensors) {
    if (name === METADATA_KEY || FORBIDDEN_KEYS.includes(name)) {
      fail(`tensor name '${name}' is reserved or unsafe; rename the tensor`);
    }
    if (t.ndim > MAX_NDIM) {
      fail(`tensor '${name}' has ${t.ndim} dimensions, more than the ${MAX_NDIM} allowed`);
    }
  }
  const parts: string[] = [];
  if (metadata !== undefined) {
    const fields = Object.entries(metadata).map(([key, value]) => {
      if (FORBIDDEN_KEYS.includes(key)) fail(`metadata key '${key}' is unsafe; rename it`);
      if (typeof value !== 'string') {
        fail(`metadata '${key}' must be a string, got ${typeof value} (JSON.stringify it first)`);
      }
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    parts.push(`"${METADATA_KEY}":{${fields.join(',')}}`);
  }

  const utf8 = new TextEncoder();
  // The reference's order: widest dtype first, then by name as UTF-8 bytes (Rust's string order).
  const order = [...tensors]
    .map(([name, t]) => ({ name, t, key: utf8.encode(name) }))
    .sort(
      (a, b) => WRITERS[b.t.dtype].rank - WRITERS[a.t.dtype].rank || compareBytes(a.key, b.key),
    );
  let offset = 0;
  const placed = order.map(({ name, t }) => {
    const begin = offset;
    offset += t.size * WRITERS[t.dtype].size;
    const info = { dtype: WRITERS[t.dtype].name, shape: t.shape, data_offsets: [begin, offset] };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    return { t, begin };
  });

  const json = utf8.encode(`{${parts.join(',')}}`);
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);
  const dataStart = 8 + headerLength;
  const out = new Uint8Array(dataStart + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, dataStart);
  for (const { t, begin } of placed) {
    if (LITTLE_ENDIAN_HOST) {
      out.set(
        new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
        dataStart + begin,
      );
    } else {
      const { size, write } = WRITERS[t.dtype];
      for (let i = 0; i < t.size; i++) write(view, dataStart + begin + i * size, t.data[i]);
    }
  }
  return out;
}

/**
 * Decodes the bytes of a safetensors file. `source` names the data in error messages.
 *
 * @example
 * const { tensors, metadata } = readSafetensors(bytes, 'model.safetensors');
 * readSafetensors(new Uint8Array(3), 'x.safetensors');
 * // throws LoadError: loadSafetensors: x.safetensors: file is 3 bytes, too short for ...
 */
export function readSafetensors(bytes: Uint8Array, source = '<buffer>'): Safetensors {
  const fail: Fail = (message) => {
    throw new LoadError('loadSafetensors', source, message);
  };
  const n = bytes.length;
  if (n < 8) fail(`file is ${n} bytes, too short for the 8-byte header length at offset 0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    fail(
      `header length at offset 0 is ${headerLength} bytes, more than the ${MAX_HEADER_BYTES} allowed${htmlHint(bytes)}`,
    );
  }
  const dataStart = 8 + Number(headerLength);
  if (dataStart > n) {
    fail(
      `header of ${headerLength} bytes should end at offset ${dataStart} but the file is ${n} bytes`,
    );
  }
  const { entries, metadata } = new HeaderParser(bytes, dataStart, fail).parse();
  checkLayout(entries, n - dataStart, dataStart, fail);
  const tensors = new Map<string, Tensor>();
  for (const e of entries) tensors.set(e.name, decodeTensor(bytes, view, e, dataStart, fail));
  return { tensors, metadata };
}

/**
 * Writes named tensors to a safetensors file that PyTorch (`safetensors.torch.load_file`),
 * TensorFlow, JAX and `loadSafetensors` read. The write is crash-safe: a temporary file in the
 * same folder is flushed, then renamed over `path`.
 *
 * @example
 * saveSafetensors('weights.safetensors', model.stateDict());
 */
export function saveSafetensors(
  path: string,
  tensors: ReadonlyMap<string, Tensor>,
  metadata?: Readonly<Record<string, string>>,
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata), 'saveSafetensors');
}

/**
 * Reads a safetensors file written by the Python package, fovea or any other tool.
 *
 * @example
 * // python: safetensors.torch.save_file(model.state_dict(), 'model.safetensors')
 * const { tensors } = loadSafetensors('model.safetensors');
 * model.loadStateDict(tensors);
 */
export function loadSafetensors(path: string): Safetensors {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new LoadError('loadSafetensors', path, `cannot read the file (${(e as Error).message})`);
  }
  return readSafetensors(bytes, path);
}

/**
 * Checks that the entries' data ranges tile [0, dataLength) exactly, in any header order, as the
 * reference validator does: sorted by offset, each starts where the previous ended.
 */
function checkLayout(entries: Entry[], dataLength: number, dataStart: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    const range = `data_offsets [${e.begin},${e.end}] of '${e.name}' (header offset ${e.at})`;
    if (e.begin > expected) {
      fail(
        `${range} leave a gap of ${e.begin - expected} bytes after ${previous ? `'${previous.name}'` : 'the header'} (expected the data to start at ${expected})`,
      );
    }
    if (e.begin < expected) {
      fail(`${range} overlap '${previous!.name}', which ends at ${expected}`);
    }
    if (e.end > dataLength) {
      fail(
        `${range} reach file offset ${dataStart + e.end} but the file is ${dataStart + dataLength} bytes`,
      );
    }
    expected = e.end;
    previous = e;
  }
  if (expected !== dataLength) {
    fail(
      `the tensors cover ${expected} bytes of data but the file has ${dataLength} after the header (offset ${dataStart}): ${dataLength - expected} bytes are not described by the header`,
    );
  }
}

/** Copies (or converts) one entry's bytes into a new tensor, checking the int32 range. */
function decodeTensor(
  bytes: Uint8Array,
  view: DataView,
  e: Entry,
  dataStart: number,
  fail: Fail,
): Tensor {
  const { kind } = e;
  const start = dataStart + e.begin;
  const count = (e.end - e.begin) / kind.size;
  const out = getBackend().alloc(kind.dtype, count);
  if (kind.raw && LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(
      bytes.subarray(start, dataStart + e.end),
    );
  } else {
    for (let i = 0, offset = start; i < count; i++, offset += kind.size) {
      if (kind.fits && !kind.fits(view, offset)) {
        const value = kind.size === 4 ? view.getUint32(offset, true) : exact64(view, e, offset);
        fail(
          `value ${value} of '${e.name}' (${e.dtypeName}) at offset ${offset} does not fit in int32 (fovea reads ${e.dtypeName} as int32; convert the tensor before saving, e.g. t.to(torch.int32) or t.float())`,
        );
      }
      out[i] = kind.read(view, offset);
    }
  }
  return new Tensor(out, e.shape, kind.dtype);
}

function exact64(view: DataView, e: Entry, offset: number): bigint {
  return e.dtypeName === 'I64' ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
}

/**
 * A strict JSON reader for the header, driven by its schema: a top-level object of tensor entries
 * (`dtype`, `shape`, `data_offsets`) and an optional `__metadata__` object of strings. It reads
 * the bytes directly so that every error gives the exact file offset.
 */
class HeaderParser {
  private pos = 8;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly end: number,
    private readonly fail: Fail,
  ) {}

  parse(): { entries: Entry[]; metadata: Record<string, string> } {
    try {
      this.decoder.decode(this.bytes.subarray(8, this.end));
    } catch {
      this.fail(`header at offsets 8..${this.end} is not valid UTF-8`);
    }
    if (this.bytes[8] !== 0x7b) {
      this.fail(`header should be a JSON object starting with '{' at offset 8, ${this.found()}`);
    }
    const entries: Entry[] = [];
    const metadata: Record<string, string> = {};
    this.object((name, at) => {
      if (name !== METADATA_KEY) entries.push(this.entry(name, at));
      else this.object((key) => (metadata[key] = this.string(`metadata '${key}'`)));
    });
    this.space();
    if (this.pos < this.end) this.fail(`unexpected text after the header's object ${this.where()}`);
    return { entries, metadata };
  }

  /** Reads one tensor's `{"dtype": ..., "shape": [...], "data_offsets": [b, e]}`. */
  private entry(name: string, at: number): Entry {
    const what = `tensor '${name}' (header offset ${at})`;
    let dtypeName: string | undefined;
    let shape: number[] | undefined;
    let offsets: number[] | undefined;
    this.object((key) => {
      if (key === 'dtype') dtypeName = this.string(`the dtype of ${what}`);
      else if (key === 'shape') shape = this.integers(`the shape of ${what}`, MAX_NDIM);
      else if (key === 'data_offsets') offsets = this.integers(`the data_offsets of ${what}`, 2);
      else this.fail(`${what} has unexpected field '${key}' (expected dtype, shape, data_offsets)`);
    });
    if (dtypeName === undefined || shape === undefined || offsets === undefined) {
      const missing = Object.entries({ dtype: dtypeName, shape, data_offsets: offsets })
        .filter(([, v]) => v === undefined)
        .map(([k]) => k);
      this.fail(`${what} has no ${missing.join(' or ')} field`);
    }
    const kind = KINDS.get(dtypeName);
    if (!kind) {
      this.fail(`${what} has dtype '${dtypeName}'; fovea reads ${[...KINDS.keys()].join(', ')}`);
    }
    const [begin, end] = offsets;
    if (offsets.length !== 2 || begin > end) {
      this.fail(
        `${what} has data_offsets [${offsets.join(',')}]; expected [begin, end] with begin <= end`,
      );
    }
    // BigInt: a shape of huge dimensions must not overflow into a plausible byte count.
    const needed = shape.reduce((p, d) => p * BigInt(d), BigInt(kind.size));
    if (needed !== BigInt(end - begin)) {
      this.fail(
        `${what}: shape ${fmt(shape)} of ${dtypeName} needs ${needed} bytes but data_offsets [${begin},${end}] hold ${end - begin}`,
      );
    }
    return { name, at, kind, dtypeName, shape, begin, end };
  }

  /** Reads `{"key": value, ...}`, calling `value(key, keyOffset)` to read each value. */
  private object(value: (key: string, at: number) => void): void {
    this.space();
    this.expect(0x7b, "'{'");
    const seen = new Set<string>();
    this.space();
    if (this.bytes[this.pos] === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.space();
      const at = this.pos;
      const key = this.string('a key');
      if (seen.has(key)) this.fail(`key '${key}' appears twice (second at offset ${at})`);
      if (FORBIDDEN_KEYS.includes(key)) {
        this.fail(`key '${key}' at offset ${at} is not allowed (it could pollute prototypes)`);
      }
      seen.add(key);
      this.space();
      this.expect(0x3a, "':'");
      value(key, at);
      this.space();
      if (this.bytes[this.pos] === 0x7d) {
        this.pos++;
        return;
      }
      this.expect(0x2c, "',' or '}'");
    }
  }

  /** Reads `[n, ...]` of at most `max` non-negative integers. */
  private integers(what: string, max: number): number[] {
    const out: number[] = [];
    this.space();
    this.expect(0x5b, `'[' to start ${what}`);
    this.space();
    if (this.bytes[this.pos] === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      out.push(this.integer(what));
      this.space();
      if (this.bytes[this.pos] === 0x5d) {
        this.pos++;
        return out;
      }
      this.expect(0x2c, `',' or ']' in ${what}`);
      if (out.length === max) this.fail(`${what} has more than ${max} items ${this.where()}`);
    }
  }

  /** Reads a JSON integer ≥ 0 that a double holds exactly (a file offset or a dimension). */
  private integer(what: string): number {
    const start = this.pos;
    while (this.pos < this.end && this.bytes[this.pos] >= 0x30 && this.bytes[this.pos] <= 0x39) {
      this.pos++;
    }
    const next = this.pos < this.end ? this.bytes[this.pos] : -1;
    const digits = this.pos - start;
    if (digits === 0 || next === 0x2e || next === 0x65 || next === 0x45) {
      this.pos = start;
      this.fail(`expected a non-negative integer in ${what} ${this.where()}`);
    }
    if (digits > 1 && this.bytes[start] === 0x30) {
      this.fail(`${what} has a number with a leading zero at offset ${start}, which JSON forbids`);
    }
    // At most 16 digits are decoded, so a run of a million digits costs nothing.
    const value =
      digits > 16 ? Infinity : Number(String.fromCharCode(...this.bytes.subarray(start, this.pos)));
    if (!Number.isSafeInteger(value)) {
      this.fail(`${what} has a ${digits}-digit number at offset ${start}, too large for any file`);
    }
    return value;
  }

  /** Reads a JSON string, with escapes. */
  private string(what: string): string {
    this.space();
    this.expect(0x22, `'"' to start ${what}`);
    let out = '';
    let run = this.pos;
    for (;;) {
      if (this.pos >= this.end) this.fail(`string in ${what} is not closed ${this.where()}`);
      const b = this.bytes[this.pos];
      if (b === 0x22) break;
      if (b < 0x20)
        this.fail(`control character in ${what} ${this.where()}; JSON needs it escaped`);
      if (b !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.decoder.decode(this.bytes.subarray(run, this.pos));
      out += this.escape(what);
      run = this.pos;
    }
    out += this.decoder.decode(this.bytes.subarray(run, this.pos));
    this.pos++;
    return out;
  }

  /** Reads one backslash escape, the position at the backslash. */
  private escape(what: string): string {
    const simple: Record<number, string> = {
      0x22: '"',
      0x5c: '\\',
      0x2f: '/',
      0x62: '\b',
      0x66: '\f',
      0x6e: '\n',
      0x72: '\r',
      0x74: '\t',
    };
    const start = this.pos;
    const letter = this.bytes[this.pos + 1];
    if (letter !== 0x75) {
      const ch = simple[letter];
      if (ch === undefined || this.pos + 1 >= this.end) {
        this.fail(`invalid escape in ${what} at offset ${start}`);
      }
      this.pos += 2;
      return ch;
    }
    const hex = String.fromCharCode(...this.bytes.subarray(this.pos + 2, this.pos + 6));
    if (this.pos + 6 > this.end || !/^[0-9a-fA-F]{4}$/.test(hex)) {
      this.fail(`invalid \\u escape in ${what} at offset ${start}`);
    }
    this.pos += 6;
    return String.fromCharCode(parseInt(hex, 16));
  }

  private expect(byte: number, what: string): void {
    if (this.pos >= this.end || this.bytes[this.pos] !== byte) {
      this.fail(`header: expected ${what} ${this.where()}`);
    }
    this.pos++;
  }

  /** Skips JSON whitespace. */
  private space(): void {
    while (this.pos < this.end) {
      const b = this.bytes[this.pos];
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return;
      this.pos++;
    }
  }

  private where(): string {
    return `at offset ${this.pos}, ${this.found()}`;
  }

  private found(): string {
    if (this.pos >= this.end) return 'found the end of the header';
    const b = this.bytes[this.pos];
    return `found ${b >= 0x20 && b < 0x7f ? JSON.stringify(String.fromCharCode(b)) : `byte 0x${b.toString(16).padStart(2, '0')}`}`;
  }
}

/** Lexicographic order of two byte strings. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
