import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCifarBatch } from '../../src/data/cifar.js';
import { encodeIdx, readIdx } from '../../src/data/idx.js';
import { encodeNpy, readNpy } from '../../src/io/npy.js';
import { encodeSafetensors, readSafetensors } from '../../src/io/safetensors.js';
import { LoadError } from '../../src/tensor/errors.js';
import '../../src/ops/methods.js';
import { arange } from '../../src/tensor/create.js';

const HTML = new TextEncoder().encode(
  '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in.</body></html>\n',
);

/** A format's valid file, how to read bytes as it, and where its header ends. */
interface Format {
  name: string;
  file: string;
  bytes: Uint8Array;
  headerEnd: number;
  read(bytes: Uint8Array, file: string): unknown;
}

function cifarFile(records: number): Uint8Array {
  const out = new Uint8Array(records * 3073);
  for (let r = 0; r < records; r++) out[r * 3073] = r % 10;
  return out;
}

const weights = new Map([
  ['conv.weight', arange(0, 72).reshape([2, 4, 3, 3])],
  ['fc.bias', arange(0, 10)],
]);
const safetensors = encodeSafetensors(weights, { format: 'pt' });
const npy = encodeNpy(arange(0, 60).reshape([3, 4, 5]));
const idx = encodeIdx(arange(0, 48).reshape([3, 4, 4]).to('uint8'));

const FORMATS: Format[] = [
  {
    name: 'safetensors',
    file: 'model.safetensors',
    bytes: safetensors,
    headerEnd: 8 + Number(new DataView(safetensors.buffer).getBigUint64(0, true)),
    read: (b, f) => readSafetensors(b, f),
  },
  { name: 'npy', file: 'x.npy', bytes: npy, headerEnd: 128, read: (b, f) => readNpy(b, f) },
  {
    name: 'idx',
    file: 'train-images-idx3-ubyte',
    bytes: idx,
    headerEnd: 16,
    read: (b, f) => readIdx(b, f),
  },
  {
    name: 'cifar',
    file: 'data_batch_1.bin',
    bytes: cifarFile(3),
    headerEnd: 1,
    read: (b, f) => readCifarBatch(b, f),
  },
];

/** The cut points: every header byte, then every 7th data byte and the last one. */
function cuts(format: Format): number[] {
  const out: number[] = [];
  for (let n = 0; n < format.bytes.length; n += n < format.headerEnd ? 1 : 7) out.push(n);
  out.push(format.bytes.length - 1);
  return out;
}

/** Asserts `fn` throws a LoadError naming `file`, matching `pattern`; returns its message. */
function refusal(fn: () => unknown, file: string, pattern: RegExp): string {
  let message = '';
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof LoadError, `expected a LoadError, got ${String(e)}`);
    assert.equal(e.file, file);
    assert.match(e.message, pattern);
    message = e.message;
    return true;
  });
  return message;
}

describe('truncated files: every cut names the file, an offset, and the expected and actual bytes', () => {
  for (const format of FORMATS) {
    it(`${format.name}: cut at each header byte and at many data offsets`, () => {
      format.read(format.bytes, format.file); // the whole file loads
      for (const n of cuts(format)) {
        const message = refusal(
          () => format.read(format.bytes.subarray(0, n), format.file),
          format.file,
          /offsets? \d/,
        );
        // The actual size appears, and so does a larger number: the size expected.
        const numbers = (message.match(/\d+/g) ?? []).map(Number);
        assert.ok(numbers.includes(n), `cut at ${n}: the actual size is not named: ${message}`);
        assert.ok(
          numbers.some((x) => x > n),
          `cut at ${n}: no expected size is named: ${message}`,
        );
      }
    });
  }
});

describe('files of the wrong kind', () => {
  it('wrong magic numbers name what was expected and found', () => {
    const npyBad = Uint8Array.from(npy);
    npyBad[1] = 0x4d;
    refusal(
      () => readNpy(npyBad, 'x.npy'),
      'x.npy',
      /not a \.npy file: expected magic bytes 93 4e 55 4d 50 59 at offset 0, found 93 4d 55/,
    );
    const idxBad = Uint8Array.from(idx);
    idxBad[2] = 0x42;
    refusal(
      () => readIdx(idxBad, 'a-idx3-ubyte'),
      'a-idx3-ubyte',
      /not an IDX file: expected magic bytes 00 00 <type> <ndim> at offset 0, found 00 00 42 03/,
    );
  });

  it('an HTML page saved under a model or dataset name says so', () => {
    const hint = /it is an HTML page, not the file itself/;
    refusal(() => readNpy(HTML, 'w.npy'), 'w.npy', hint);
    refusal(() => readIdx(HTML, 'w-idx1-ubyte'), 'w-idx1-ubyte', hint);
    refusal(() => readSafetensors(HTML, 'w.safetensors'), 'w.safetensors', hint);
    refusal(
      () => readCifarBatch(HTML, 'data_batch_1.bin'),
      'data_batch_1.bin',
      /not a whole number of 3073-byte records/,
    );
  });

  it('CIFAR labels out of range name the label offset', () => {
    const bytes = cifarFile(2);
    bytes[3073] = 10;
    refusal(
      () => readCifarBatch(bytes, 'test_batch.bin'),
      'test_batch.bin',
      /label 10 at offset 3073 is not a CIFAR-10 class id in \[0, 10\)/,
    );
  });
});
