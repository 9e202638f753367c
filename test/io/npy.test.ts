import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { allocArray, type DType } from '../../src/backend/dtype.js';
import { referenceBackend } from '../../src/backend/reference/index.js';
import { encodeNpy, loadNpy, readNpy, saveNpy } from '../../src/io/npy.js';
import { registerBackend, setBackend } from '../../src/tensor/backend-registry.js';
import { FoveaError } from '../../src/tensor/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';

// Tiny files written by NumPy itself; test/fixtures/npy/make.py regenerates them.
const FIXTURES = fileURLToPath(new URL('../fixtures/npy/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(fixture(name)));

/** Asserts that `fn` throws a loadNpy FoveaError (never another type) whose message matches. */
function throwsFovea(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FoveaError, `expected a FoveaError, got ${String(e)}`);
    assert.equal(e.op, 'loadNpy');
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

/** Whether readNpy either returns a tensor or throws a FoveaError; anything else fails the test. */
function readsOrRefuses(bytes: Uint8Array): boolean {
  try {
    return readNpy(bytes) instanceof Tensor;
  } catch (e) {
    if (e instanceof FoveaError) return true;
    throw e;
  }
}

/** A .npy file with the given header text (padded as NumPy pads it) followed by `data`. */
function npyWith(header: string, data: number | Uint8Array = 0, major = 1): Uint8Array {
  const start = major === 1 ? 10 : 12;
  const padded = header + ' '.repeat(63 - ((start + header.length) % 64)) + '\n';
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(start + padded.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), start);
  out.set(body, start + padded.length);
  return out;
}

const header = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

/** The values of a tensor as a plain array, comparing NaN and -0 exactly. */
const values = (t: Tensor) => Array.from(t.data);

describe('encodeNpy and readNpy round trip', () => {
  const samples: Record<DType, (i: number) => number> = {
    float32: (i) => [0.5, -3, 1e-7, Infinity, -0, NaN][i % 6] * (i + 1),
    float64: (i) => [Math.PI, -1e300, 5e-324, -Infinity, -0, NaN][i % 6] / (i + 1),
    int32: (i) => [-2147483648, 2147483647, 0, -1, 7][i % 5] + (i % 5 === 0 ? i : 0),
    uint8: (i) => (i * 37) % 256,
  };
  const dtypes = Object.keys(samples) as DType[];
  for (const dtype of dtypes) {
    for (const shape of [[], [5], [2, 3, 4], [0, 3]]) {
      it(`${dtype} ${JSON.stringify(shape)}`, () => {
        const data = allocArray(
          dtype,
          shape.reduce((a, b) => a * b, 1),
        );
        data.forEach((_, i) => (data[i] = samples[dtype](i)));
        const bytes = encodeNpy(new Tensor(data, shape, dtype));
        const headerLength = bytes[8] | (bytes[9] << 8);
        assert.equal((10 + headerLength) % 64, 0, 'data starts at a multiple of 64');
        assert.equal(bytes[10 + headerLength - 1], 0x0a, 'header ends with a newline');
        const back = readNpy(bytes);
        assert.equal(back.dtype, dtype);
        assert.deepEqual(back.shape, shape);
        assert.deepEqual(values(back), Array.from(data));
      });
    }
  }

  it('saveNpy then loadNpy through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fovea-npy-'));
    try {
      const path = join(dir, 'x.npy');
      const t = new Tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2], 'float32');
      saveNpy(path, t);
      const back = loadNpy(path);
      assert.deepEqual(back.shape, [3, 2]);
      assert.deepEqual(values(back), [1, 2, 3, 4, 5, 6]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the same bytes as np.save', () => {
    const cases: [string, Tensor][] = [
      ['f4.npy', new Tensor(new Float32Array([0, 0.25, 0.5, 0.75, 1, 1.25]), [2, 3], 'float32')],
      ['f8_scalar.npy', new Tensor(new Float64Array([-1.5]), [], 'float64')],
      [
        'i4.npy',
        new Tensor(new Int32Array([-7, 0, 2147483647, -2147483648, 5, 6]), [2, 1, 3], 'int32'),
      ],
      ['u1.npy', new Tensor(new Uint8Array([0, 1, 127, 128, 255]), [5], 'uint8')],
    ];
    for (const [name, t] of cases) assert.deepEqual(encodeNpy(t), fixtureBytes(name), name);
  });
});

describe('reading files written by NumPy', () => {
  const expectations: [string, DType, number[], number[]][] = [
    ['f4.npy', 'float32', [2, 3], [0, 0.25, 0.5, 0.75, 1, 1.25]],
    ['f8_scalar.npy', 'float64', [], [-1.5]],
    ['i4.npy', 'int32', [2, 1, 3], [-7, 0, 2147483647, -2147483648, 5, 6]],
    ['u1.npy', 'uint8', [5], [0, 1, 127, 128, 255]],
    [
      'f2.npy',
      'float32',
      [10],
      [0, -0, 1, -2.5, 65504, 2 ** -14, 2 ** -24, Infinity, -Infinity, NaN],
    ],
    ['f8.npy', 'float64', [2, 3], [0.1, -1e300, Math.PI, 5e-324, 2 ** 60, -0]],
    ['i1.npy', 'int32', [4], [-128, -1, 0, 127]],
    ['i2.npy', 'int32', [3], [-32768, 300, 32767]],
    ['i8.npy', 'int32', [2, 2], [-(2 ** 31), 2 ** 31 - 1, 0, -42]],
    ['u2.npy', 'int32', [4], [0, 1, 40000, 65535]],
    ['u4.npy', 'int32', [2], [0, 2 ** 31 - 1]],
    ['b1.npy', 'uint8', [2, 3], [1, 0, 1, 0, 0, 1]],
    ['f4_be.npy', 'float32', [3], [1.5, -2, Math.fround(1e-3)]],
    ['i2_be.npy', 'int32', [2, 2], [1, -2, 258, -32768]],
    ['f8_be.npy', 'float64', [2], [Math.PI, -1e-300]],
    ['fortran.npy', 'float32', [2, 3, 4], Array.from({ length: 24 }, (_, i) => i)],
    ['fortran_i8_be.npy', 'int32', [2, 3], [1, 2, 3, 4, 5, 6]],
    ['v2.npy', 'int32', [3, 2], [0, 1, 2, 3, 4, 5]],
    ['v3.npy', 'float64', [2, 2], [1, 2, 3, 4]],
  ];
  for (const [name, dtype, shape, expected] of expectations) {
    it(name, () => {
      const t = loadNpy(fixture(name));
      assert.equal(t.dtype, dtype);
      assert.deepEqual(t.shape, shape);
      assert.deepEqual(values(t), expected);
    });
  }

  it('accepts the header variants NumPy accepts', () => {
    const data = new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]);
    for (const text of [
      header('<i4', '(2L,)'), // written by Python 2
      `{"descr": "<i4", "shape": (2,), "fortran_order": False}`,
      header('=i4', '[2]'),
      header('i4', '(2, )'),
      header('<i4', '(1, 2)', 'True'),
    ]) {
      assert.deepEqual(values(readNpy(npyWith(text, data))), [1, 2], text);
    }
    assert.deepEqual(
      values(readNpy(npyWith(header('>i1', '(2,)'), new Uint8Array([255, 3])))),
      [-1, 3],
    );
  });
});

describe('refusing bad files', () => {
  it('names the file, the shape and the offsets when the data is short', () => {
    throwsFovea(
      () => readNpy(npyWith(header('<f4', '(4, 4)'), 48), 'x.npy'),
      /^loadNpy: x\.npy: data at offsets 128\.\.176 is 48 bytes but shape \[4,4\] of <f4 needs 64 bytes \(expected a file of 192 bytes, found 176\)$/,
    );
    throwsFovea(
      () => readNpy(npyWith(header('<f4', '(4, 4)'), 65)),
      /data at offsets 128..193 is 65 bytes/,
    );
  });

  it('every truncation of a valid file is a FoveaError', () => {
    for (const name of ['f4.npy', 'f8_scalar.npy', 'fortran.npy', 'v2.npy', 'v3.npy']) {
      const bytes = fixtureBytes(name);
      for (let n = 0; n < bytes.length; n++) throwsFovea(() => readNpy(bytes.subarray(0, n)));
    }
  });

  it('any change to one header byte reads or is a FoveaError', () => {
    const bytes = fixtureBytes('fortran.npy');
    const dataStart = 10 + (bytes[8] | (bytes[9] << 8));
    for (let i = 0; i < dataStart; i++) {
      for (const b of [0, 0x20, 0x27, 0x28, 0x29, 0x2c, 0x2d, 0x30, 0x39, 0x5c, 0x7b, 0x80, 0xff]) {
        const copy = bytes.slice();
        copy[i] = b;
        assert.ok(readsOrRefuses(copy));
      }
    }
  });

  it('random headers and random files read or are a FoveaError', () => {
    const alphabet = fc.constantFrom(...`{}()[],:'" -0123456789LTrueFalseNone<>|=fiub\\\n`);
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 80 }), fc.nat(64), (text, n) =>
        readsOrRefuses(npyWith(text, n)),
      ),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), readsOrRefuses));
  });

  it('wrong magic or version', () => {
    const bytes = fixtureBytes('f4.npy');
    const bad = bytes.slice();
    bad[1] = 0x50;
    throwsFovea(
      () => readNpy(bad, 'a.npy'),
      /a\.npy: not a \.npy file: expected magic bytes 93 4e 55 4d 50 59 at offset 0, found 93 50 55/,
    );
    throwsFovea(() => readNpy(new TextEncoder().encode('PK\x03\x04 a zip file')), /not a \.npy/);
    for (const [major, minor] of [
      [4, 0],
      [1, 1],
      [0, 0],
    ]) {
      const copy = bytes.slice();
      copy[6] = major;
      copy[7] = minor;
      throwsFovea(() => readNpy(copy), new RegExp(`version ${major}\\.${minor} at offset 6`));
    }
  });

  it('header lengths that do not fit', () => {
    const bytes = fixtureBytes('f4.npy');
    bytes[8] = 0xff;
    bytes[9] = 0xff;
    throwsFovea(
      () => readNpy(bytes),
      /header of 65535 bytes should end at offset 65545 but the file is 152 bytes/,
    );
    const huge = npyWith(`{}${' '.repeat(70000)}`, 0, 2);
    throwsFovea(() => readNpy(huge), /header length at offset 8 is 70\d\d\d bytes, more than/);
    const v2 = fixtureBytes('v2.npy');
    v2[11] = 0x80; // a 2 GiB header length
    throwsFovea(() => readNpy(v2), /header length at offset 8 is \d+ bytes, more than the 65536/);
  });

  it('an i8 or u8 value outside int32 names the file, the dtype and the value', () => {
    throwsFovea(
      () => loadNpy(fixture('i8_too_big.npy')),
      /i8_too_big\.npy: value 3000000000 of dtype <i8 at offset 144 does not fit in int32/,
    );
    throwsFovea(
      () => loadNpy(fixture('u8_too_big.npy')),
      /value 18446744073709551615 of dtype <u8 at offset 128/,
    );
    const u4 = new Uint8Array([0, 0, 0, 0x80]); // 2 ** 31
    throwsFovea(() => readNpy(npyWith(header('<u4', '(1,)'), u4)), /value 2147483648 of dtype <u4/);
  });

  it('a header claiming a huge shape fails before allocating anything', () => {
    const allocs: number[] = [];
    registerBackend({
      ...referenceBackend,
      name: 'npy-alloc-spy',
      alloc: (dtype, size) => {
        allocs.push(size);
        return referenceBackend.alloc(dtype, size);
      },
    });
    setBackend('npy-alloc-spy');
    try {
      const bytes = npyWith(header('<f4', '(1000000000, 1000000000, 1000000000)'), 16);
      throwsFovea(
        () => readNpy(bytes),
        /data at offsets 128\.\.144 is 16 bytes but shape \[1000000000,1000000000,1000000000\] of <f4 needs 4000000000000000000000000000 bytes/,
      );
      throwsFovea(() => readNpy(npyWith(header('<f8', `(${'4294967296, '.repeat(64)})`))));
      assert.deepEqual(allocs, []);
      assert.equal(readNpy(npyWith(header('|u1', '(2,)'), 2)).size, 2);
      assert.deepEqual(allocs, [2], 'the spy does see allocations');
    } finally {
      setBackend('reference');
    }
  });

  it('bad shapes', () => {
    const bad: [string, RegExp][] = [
      ['(2, -3)', /has -3 at position 1; sizes must be integers >= 0/],
      ['(2.5,)', /expected a Python literal at offset \d+, found "2"/],
      ['(True, 2)', /has True at position 0/],
      ['(99999999999999999999,)', /has 100000000000000000000 at position 0/],
      ["'(2, 3)'", /'shape' should be a tuple of integers but is '\(2, 3\)'/],
      ['(5)', /'shape' should be a tuple of integers but is 5/],
      [`(${'1, '.repeat(65)})`, /shape has 65 dimensions, more than 64/],
    ];
    for (const [shape, pattern] of bad)
      throwsFovea(() => readNpy(npyWith(header('<f4', shape))), pattern);
  });

  it('bad headers and dtypes', () => {
    const bad: [string, RegExp][] = [
      ["{'descr': '<f4', 'shape': (1,)}", /header has no 'fortran_order' key/],
      [`${header('<f4', '(1,)').slice(0, -1)}'x': 1}`, /unexpected key 'x'/],
      [
        "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}",
        /key 'descr' appears twice/,
      ],
      [header('<c8', '(1,)'), /unsupported dtype '<c8' \(fovea reads f2, f4, f8, i1/],
      [header('|O', '(1,)'), /unsupported dtype '\|O'/],
      [header('<U3', '(1,)'), /unsupported dtype '<U3'/],
      [
        "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}",
        /'descr' should be a dtype string .* but is \(\('a', '<f4'\)/,
      ],
      [header('<f4', '(1,)', "'yes'"), /'fortran_order' should be True or False but is 'yes'/],
      ['[1, 2]', /header should be a dict but is \(1, 2\)/],
      ["{'descr': '<f4", /string not closed at offset \d+, found the end of the header/],
      [`${header('<f4', '(1,)')} junk`, /unexpected text after the dict at offset \d+, found "j"/],
      ["{'descr' '<f4'}", /expected ':' at offset 19, found "'"/],
      [`{'descr': ${'('.repeat(5000)}`, /nested too deeply/],
      ['', /expected a Python literal at offset 64, found the end of the header/],
    ];
    for (const [text, pattern] of bad) throwsFovea(() => readNpy(npyWith(text, 4)), pattern);
  });

  it('a version 3.0 header that is not UTF-8', () => {
    const bytes = npyWith(header('<f4', '(1,)'), 4, 3);
    bytes[20] = 0xff;
    throwsFovea(() => readNpy(bytes), /not valid UTF-8/);
  });

  it('a file that cannot be read', () => {
    throwsFovea(
      () => loadNpy('/no/such/dir/x.npy'),
      /\/no\/such\/dir\/x\.npy: cannot read the file/,
    );
  });
});
