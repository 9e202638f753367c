/**
 * The loader fuzzer: fast-check mutations (bit flips, truncations, insertions, header-field
 * overwrites) of valid seed files, fed to each file loader. Every input must either load or throw
 * the loader's LoadError naming the file (and, for formats whose bytes fovea parses, a byte
 * offset), within 1 s, allocating no more tensor elements than twice the file's bytes, and leaving
 * Object.prototype as it was. `npm test` runs a few hundred inputs per loader
 * (test/io/fuzz.test.ts); `npm run fuzz` runs 10,000 (scripts/fuzz.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import type { DType } from '../../src/backend/dtype.js';
import { readCifarBatch } from '../../src/data/cifar.js';
import { encodeIdx, readIdx } from '../../src/data/idx.js';
import { loadImage } from '../../src/data/image-folder.js';
import { encodeNpy, readNpy } from '../../src/io/npy.js';
import { loadOnnx } from '../../src/onnx/import.js';
import { encodeSafetensors, readSafetensors } from '../../src/io/safetensors.js';
import { getBackend, registerBackend, setBackend } from '../../src/tensor/backend-registry.js';
import { FoveaError, LoadError } from '../../src/tensor/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { modelBytes, node } from '../onnx/helpers.js';

/** One loader under test: its valid seed files and how to read bytes as a file of that format. */
export interface FuzzTarget {
  name: string;
  /** File name given to the loader, which its errors must repeat. */
  file: string;
  seeds(): Promise<Uint8Array[]>;
  load(bytes: Uint8Array, file: string): unknown;
  /** Whether every refusal must name a byte offset (false where a library decodes, e.g. images). */
  namesOffset: boolean;
  /** The error class refusals must be (LoadError; ONNX's reader still throws FoveaError). */
  refusal?: typeof FoveaError;
  /**
   * Tensor elements the loader may allocate per file byte: 2 (Fortran-order .npy allocates its
   * data twice), except where the data is decompressed (gzip can expand ~1,032× by design).
   */
  elementsPerByte: number;
}

/** What a fuzz run saw, for the report. */
export interface FuzzStats {
  target: string;
  inputs: number;
  loaded: number;
  refused: number;
  slowestMs: number;
  /** Largest ratio of allocated tensor elements to the input's bytes. */
  maxElementsPerByte: number;
}

const TIME_LIMIT_MS = 1000;
/** Array-buffer growth tolerated regardless of size (buffers of the harness itself, pools). */
const ARRAY_BUFFER_SLACK = 1 << 20;

/** A tensor of `shape` and `dtype` holding 0, 1, 2, ... (wrapping at 256 for uint8). */
function ramp(shape: number[], dtype: DType): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const t = new Tensor(getBackend().alloc(dtype, size), shape, dtype);
  for (let i = 0; i < size; i++) t.data[i] = dtype === 'uint8' ? i % 256 : i * 0.5 - 3;
  return t;
}

function cifarRecords(labels: number[][]): Uint8Array {
  const record = labels[0].length + 3072;
  const out = new Uint8Array(labels.length * record);
  labels.forEach((label, r) => {
    out.set(label, r * record);
    for (let p = 0; p < 3072; p++) out[r * record + label.length + p] = (r + p) % 251;
  });
  return out;
}

/** The loaders fuzzed, each with a few valid seeds covering its dtypes and header forms. */
export function fuzzTargets(): FuzzTarget[] {
  const scratch = mkdtempSync(join(tmpdir(), 'fovea-fuzz-'));
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
  let imageCount = 0;
  return [
    {
      name: 'safetensors',
      file: 'fuzz.safetensors',
      namesOffset: true,
      elementsPerByte: 2,
      seeds: async () => [
        encodeSafetensors(
          new Map([
            ['conv.weight', ramp([2, 1, 2, 2], 'float32')],
            ['fc.bias', ramp([3], 'float64')],
            ['steps', ramp([2], 'int32')],
            ['mask', ramp([5], 'uint8')],
          ]),
          { format: 'pt', note: 'seed' },
        ),
        encodeSafetensors(new Map([['w', ramp([4, 3], 'float32')]])),
      ],
      load: (bytes, file) => readSafetensors(bytes, file),
    },
    {
      name: 'npy',
      file: 'fuzz.npy',
      namesOffset: true,
      elementsPerByte: 2,
      seeds: async () => {
        const fortran = encodeNpy(ramp([2, 3], 'float32'));
        const text = new TextDecoder('latin1').decode(fortran);
        const at = text.indexOf('False');
        fortran.set(new TextEncoder().encode('True, '), at); // same length: 'True, ' for 'False,'
        return [
          encodeNpy(ramp([2, 3], 'float32')),
          encodeNpy(ramp([7], 'uint8')),
          encodeNpy(ramp([2, 2, 2], 'float64')),
          encodeNpy(ramp([3], 'int32')),
          fortran,
        ];
      },
      load: (bytes, file) => readNpy(bytes, file),
    },
    {
      name: 'idx',
      file: 'fuzz-idx3-ubyte',
      namesOffset: true,
      elementsPerByte: 2,
      seeds: async () => [
        encodeIdx(ramp([3, 4, 4], 'uint8')),
        encodeIdx(ramp([6], 'uint8')),
        encodeIdx(ramp([2, 3], 'float32')),
        encodeIdx(ramp([4], 'int32'), { type: 'short' }),
      ],
      load: (bytes, file) => readIdx(bytes, file),
    },
    {
      name: 'idx.gz',
      file: 'fuzz-idx3-ubyte.gz',
      namesOffset: true,
      elementsPerByte: 1100,
      seeds: async () => [
        gzipSync(encodeIdx(ramp([3, 4, 4], 'uint8'))),
        gzipSync(encodeIdx(ramp([2, 3], 'float32'))),
      ],
      load: (bytes, file) => readIdx(bytes, file),
    },
    {
      name: 'cifar',
      file: 'data_batch_1.bin',
      namesOffset: true,
      elementsPerByte: 2,
      seeds: async () => [cifarRecords([[3], [9]])],
      load: (bytes, file) => readCifarBatch(bytes, file, 'CIFAR-10'),
    },
    {
      name: 'cifar-100',
      file: 'train.bin',
      namesOffset: true,
      elementsPerByte: 2,
      seeds: async () => [cifarRecords([[1, 42]])],
      load: (bytes, file) => readCifarBatch(bytes, file, 'CIFAR-100'),
    },
    {
      name: 'onnx',
      file: 'fuzz.onnx',
      namesOffset: false,
      refusal: FoveaError,
      elementsPerByte: 2,
      seeds: async () => [
        modelBytes(
          [
            node('Conv', ['x', 'w', 'b'], ['y'], { pads: [1, 1, 1, 1] }),
            node('Relu', ['y'], ['z']),
          ],
          { w: ramp([2, 1, 3, 3], 'float32'), b: ramp([2], 'float32') },
          ['x'],
          ['z'],
        ),
      ],
      load: (bytes, file) => {
        const path = join(scratch, file);
        writeFileSync(path, bytes);
        return loadOnnx(path);
      },
    },
    {
      name: 'image',
      file: 'fuzz.png',
      namesOffset: false,
      elementsPerByte: 2,
      seeds: async () => {
        const raw = Buffer.from(Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 7) % 256));
        const image = () => sharp(raw, { raw: { width: 8, height: 8, channels: 3 } });
        return [
          new Uint8Array(await image().png().toBuffer()),
          new Uint8Array(await image().jpeg().toBuffer()),
        ];
      },
      load: async (bytes, file) => {
        const path = join(scratch, `${imageCount++ % 4}-${file}`);
        writeFileSync(path, bytes);
        try {
          return await loadImage(path, { size: [8, 8], maxPixels: 4096 });
        } catch (e) {
          // Errors name the path; the harness checks them against the name it gave.
          if (e instanceof LoadError) throw new LoadError(e.op, file, e.message);
          throw e;
        }
      },
    },
  ];
}

/** One change to a seed file. */
type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'overwrite'; at: number; bytes: number[] };

/** Values that break size fields: zero, one, all ones, the int32 and uint32 edges. */
const FIELD_VALUES = [0, 1, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff];
/** Text that breaks the JSON and Python headers, prototype keys included. */
const TOKENS = [
  '"__proto__"',
  '"constructor"',
  '99999999999999999999',
  '-1',
  '1e308',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  '\\u0000',
  "'shape': (",
  'True',
  'None',
  '"data_offsets":[0,99999999]',
  '"dtype":"I8"',
];

function fieldBytes(value: number, littleEndian: boolean): number[] {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, littleEndian);
  return Array.from(out);
}

/** Mutations of a file of `length` bytes; overwrites favour the header (the first 160 bytes). */
function mutationArb(length: number): fc.Arbitrary<Mutation> {
  const anywhere = fc.nat({ max: Math.max(0, length - 1) });
  const inHeader = fc.nat({ max: Math.max(0, Math.min(length, 160) - 1) });
  const offset = fc.oneof({ arbitrary: inHeader, weight: 3 }, { arbitrary: anywhere, weight: 1 });
  const tokens = fc.constantFrom(...TOKENS).map((t) => Array.from(new TextEncoder().encode(t)));
  const field = fc
    .tuple(fc.constantFrom(...FIELD_VALUES), fc.boolean())
    .map(([v, le]) => fieldBytes(v, le));
  const bytes = fc.oneof(
    tokens,
    field,
    fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 16 }),
  );
  return fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: offset, bit: fc.nat({ max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: anywhere }),
    fc.record({ kind: fc.constant('insert' as const), at: offset, bytes }),
    fc.record({ kind: fc.constant('overwrite' as const), at: offset, bytes }),
  );
}

function mutate(seed: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = Uint8Array.from(seed);
  for (const m of mutations) {
    const at = Math.min(m.at, out.length);
    if (m.kind === 'flip' && at < out.length) out[at] ^= 1 << m.bit;
    else if (m.kind === 'truncate') out = out.slice(0, at);
    else if (m.kind === 'insert') {
      const next = new Uint8Array(out.length + m.bytes.length);
      next.set(out.subarray(0, at));
      next.set(m.bytes, at);
      next.set(out.subarray(at), at + m.bytes.length);
      out = next;
    } else if (m.kind === 'overwrite') {
      out.set(m.bytes.slice(0, out.length - at), at);
    }
  }
  return out;
}

/** Counts the tensor elements the loaders allocate, through a backend that wraps the current one. */
class AllocationProbe {
  elements = 0;
  private readonly previous = getBackend();
  constructor() {
    const base = this.previous;
    registerBackend({
      ...base,
      name: 'fuzz-allocation-probe',
      alloc: (dtype, size) => {
        this.elements += size;
        return base.alloc(dtype, size);
      },
    });
    setBackend('fuzz-allocation-probe');
  }
  restore(): void {
    setBackend(this.previous.name);
  }
}

function prototypeSnapshot(): string {
  return Object.getOwnPropertyNames(Object.prototype)
    .map((k) => `${k}:${typeof (Object.prototype as Record<string, unknown>)[k]}`)
    .sort()
    .join(',');
}

/**
 * Feeds `runs` mutated inputs (seeded by `seed`) to `target`'s loader; throws, with fast-check's
 * shrunk counterexample, at the first input that breaks a rule, else returns what it saw.
 */
export async function fuzzLoader(target: FuzzTarget, runs: number, seed = 1): Promise<FuzzStats> {
  const seeds = await target.seeds();
  const stats: FuzzStats = {
    target: target.name,
    inputs: 0,
    loaded: 0,
    refused: 0,
    slowestMs: 0,
    maxElementsPerByte: 0,
  };
  const prototype = prototypeSnapshot();
  const input = fc
    .nat({ max: seeds.length - 1 })
    .chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.array(mutationArb(seeds[s].length), { minLength: 1, maxLength: 3 }),
      ),
    );
  const probe = new AllocationProbe();
  try {
    await fc.assert(
      fc.asyncProperty(input, async ([s, mutations]) => {
        const bytes = mutate(seeds[s], mutations);
        probe.elements = 0;
        const buffersBefore = process.memoryUsage().arrayBuffers;
        const start = performance.now();
        let refusal: unknown;
        try {
          await target.load(bytes, target.file);
        } catch (e) {
          refusal = e;
        }
        const ms = performance.now() - start;
        const bufferGrowth = process.memoryUsage().arrayBuffers - buffersBefore;
        stats.inputs++;
        stats.slowestMs = Math.max(stats.slowestMs, ms);
        const perByte = probe.elements / Math.max(bytes.length, 1);
        stats.maxElementsPerByte = Math.max(stats.maxElementsPerByte, perByte);
        if (refusal === undefined) stats.loaded++;
        else {
          stats.refused++;
          checkRefusal(refusal, target);
        }
        if (ms > TIME_LIMIT_MS)
          throw new Error(`took ${ms.toFixed(0)} ms (limit ${TIME_LIMIT_MS})`);
        if (perByte > target.elementsPerByte) {
          throw new Error(
            `allocated ${probe.elements} elements for ${bytes.length} bytes (limit ${target.elementsPerByte} per byte)`,
          );
        }
        // Array buffers outside the backend (decoders' own) may grow by 8 bytes per element allowed.
        if (bufferGrowth > 8 * target.elementsPerByte * bytes.length + ARRAY_BUFFER_SLACK) {
          throw new Error(`array buffers grew by ${bufferGrowth} bytes for ${bytes.length} bytes`);
        }
        if (prototypeSnapshot() !== prototype) throw new Error('Object.prototype changed');
      }),
      { numRuns: runs, seed, endOnFailure: true, includeErrorInReport: true },
    );
  } finally {
    probe.restore();
  }
  return stats;
}

function checkRefusal(e: unknown, target: FuzzTarget): void {
  const expected = target.refusal ?? LoadError;
  if (!(e instanceof expected)) {
    throw new Error(`threw ${String(e)} instead of a ${expected.name}`, { cause: e });
  }
  if (
    (e instanceof LoadError && !e.file.endsWith(target.file)) ||
    !e.message.includes(target.file)
  ) {
    throw new Error(`LoadError does not name the file ${target.file}: ${e.message}`);
  }
  if (target.namesOffset && !/offsets? \d/.test(e.message)) {
    throw new Error(`LoadError names no byte offset: ${e.message}`);
  }
}
