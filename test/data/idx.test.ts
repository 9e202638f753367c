import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { encodeIdx, loadIdx, readIdx, saveIdx, type IdxType } from '../../src/data/idx.js';
import { readIdx as readIdxBytes } from '../../src/data/idx-format.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { tensor } from '../../src/tensor/create.js';
import { FoveaError } from '../../src/tensor/errors.js';
import { tempDir, throwsFovea } from './util.js';

/** One tensor per IDX type, with values at the edges of its range. */
const SAMPLES: { type: IdxType; t: Tensor }[] = [
  { type: 'ubyte', t: tensor([0, 1, 127, 128, 255, 7], { dtype: 'uint8', shape: [2, 3] }) },
  { type: 'sbyte', t: tensor([-128, -1, 0, 127], { dtype: 'int32' }) },
  {
    type: 'short',
    t: tensor(
      [
        [-32768, 32767],
        [-2, 300],
      ],
      { dtype: 'int32' },
    ),
  },
  { type: 'int', t: tensor([[[-2147483648, 2147483647, 0, 65536]]], { dtype: 'int32' }) },
  {
    type: 'float',
    t: tensor(
      [
        [1.5, -0.25],
        [3e38, -1e-30],
      ],
      { dtype: 'float32' },
    ),
  },
  { type: 'double', t: tensor([Math.PI, -1e300, 5e-324], { dtype: 'float64' }) },
];

const CODES: Record<IdxType, number> = {
  ubyte: 8,
  sbyte: 9,
  short: 11,
  int: 12,
  float: 13,
  double: 14,
};
const DTYPES: Record<IdxType, string> = {
  ubyte: 'uint8',
  sbyte: 'int32',
  short: 'int32',
  int: 'int32',
  float: 'float32',
  double: 'float64',
};

/** A little 3-D ubyte images file, like MNIST's: [3, 2, 2]. */
const images = tensor(
  Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  { shape: [3, 2, 2] },
);

describe('readIdx', () => {
  it('reads a hand-made file: big-endian sizes and elements', () => {
    // short, 2 dims [2, 1]: values 258 (01 02) and -2 (ff fe)
    const bytes = new Uint8Array([0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 1, 1, 2, 0xff, 0xfe]);
    const t = readIdx(bytes);
    assert.deepEqual(t.shape, [2, 1]);
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(Array.from(t.data), [258, -2]);
  });

  for (const { type, t } of SAMPLES) {
    it(`round-trips ${type} (type code ${CODES[type]}), plain and gzipped`, () => {
      const raw = encodeIdx(t, { type });
      assert.deepEqual(Array.from(raw.subarray(0, 4)), [0, 0, CODES[type], t.ndim]);
      for (const bytes of [raw, gzipSync(raw)]) {
        const back = readIdx(bytes);
        assert.deepEqual(back.shape, t.shape);
        assert.equal(back.dtype, DTYPES[type]);
        assert.deepEqual(Array.from(back.data), Array.from(t.data));
      }
    });
  }

  it('reads 1-D labels and 3-D images from files, .gz or not', () => {
    const dir = tempDir();
    const labels = tensor([9, 0, 3], { dtype: 'uint8' });
    saveIdx(`${dir}/labels-idx1-ubyte`, labels);
    saveIdx(`${dir}/images-idx3-ubyte.gz`, images);
    assert.equal(readFileSync(`${dir}/images-idx3-ubyte.gz`)[0], 0x1f); // really gzipped
    assert.deepEqual(loadIdx(`${dir}/labels-idx1-ubyte`).toArray(), [9, 0, 3]);
    const back = loadIdx(`${dir}/images-idx3-ubyte.gz`);
    assert.deepEqual(back.shape, [3, 2, 2]);
    assert.deepEqual(Array.from(back.data), Array.from(images.data));
  });

  it('reads a 0-dimensional file (one element) and empty dimensions', () => {
    assert.deepEqual(readIdx(new Uint8Array([0, 0, 8, 0, 42])).shape, []);
    assert.deepEqual(readIdx(new Uint8Array([0, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0, 5])).shape, [0, 5]);
  });
});

describe('readIdx refuses bad files with the file name and byte offset', () => {
  const good = encodeIdx(images);

  it('names the file and offset for a truncation at every header byte', () => {
    for (let n = 0; n < 16; n++) {
      const where =
        n < 4 ? /IDX magic number at offsets 0\.\.4/ : new RegExp(`offset ${n - ((n - 4) % 4)}`);
      throwsFovea(
        () => readIdx(good.subarray(0, n), 'imgs.idx'),
        'loadIdx',
        /^loadIdx: imgs\.idx: /,
        where,
      );
    }
  });

  it('says where the data should end when it is cut short or too long', () => {
    for (const n of [16, 17, 20, 27]) {
      throwsFovea(
        () => readIdx(good.subarray(0, n), 'imgs.idx'),
        'loadIdx',
        new RegExp(
          `imgs\\.idx: file ends at offset ${n} but shape \\[3,2,2\\] of ubyte needs data at offsets 16\\.\\.28`,
        ),
      );
    }
    const longer = new Uint8Array([...good, 0, 0]);
    throwsFovea(() => readIdx(longer, 'x'), 'loadIdx', /offsets 16\.\.28, and 2 more bytes follow/);
  });

  it('refuses wrong magic numbers, naming the bytes found', () => {
    const cases = [
      [1, 0, 8, 1],
      [0, 0, 7, 1],
      [0x89, 0x50, 0x4e, 0x47], // a PNG
      [0x3c, 0x68, 0x74, 0x6d], // "<htm"
    ];
    for (const magic of cases) {
      const bytes = new Uint8Array([...magic, 0, 0, 0, 0]);
      throwsFovea(
        () => readIdx(bytes, 'f'),
        'loadIdx',
        /f: not an IDX file: expected magic bytes 00 00 <type> <ndim> at offset 0/,
      );
    }
  });

  it('refuses a header declaring more than 2 GiB before allocating', () => {
    const huge = new Uint8Array([0, 0, 0x0e, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    throwsFovea(
      () => readIdx(huge, 'f'),
      'loadIdx',
      /declares shape \[4294967295,4294967295\] of double/,
      /more than the 2147483647 allowed/,
    );
  });

  it('refuses truncated and corrupt gzip, and gzip longer than its header declares', () => {
    const gz = gzipSync(encodeIdx(images));
    throwsFovea(
      () => readIdx(gz.subarray(0, gz.length - 4), 'a.gz'),
      'loadIdx',
      /a\.gz: gzip stream at offsets 0\.\.\d+ is corrupt or truncated/,
    );
    const flipped = Uint8Array.from(gz);
    flipped[gz.length - 6] ^= 0xff; // inside the CRC-32
    throwsFovea(() => readIdx(flipped, 'a.gz'), 'loadIdx', /corrupt or truncated \(zlib: /);
    const longer = gzipSync(new Uint8Array([...encodeIdx(images), 1, 2, 3]));
    throwsFovea(
      () => readIdx(longer, 'a.gz'),
      'loadIdx',
      /longer than the 28 bytes its header declares/,
    );
    const shorter = gzipSync(encodeIdx(images).subarray(0, 20));
    throwsFovea(
      () => readIdx(shorter, 'a.gz'),
      'loadIdx',
      /file ends at offset 20 of the decompressed data/,
    );
  });

  it('names the path of a file that cannot be read', () => {
    throwsFovea(
      () => loadIdx('/nonexistent/train-images-idx3-ubyte'),
      'loadIdx',
      /\/nonexistent\/train-images-idx3-ubyte: cannot read the file/,
    );
  });

  it('either reads or throws a FoveaError for every byte mutation of a small file', () => {
    // A light version of issue 6's fuzzing: every byte set to a few values, plain and gzipped.
    const files = [good, gzipSync(good)];
    for (const file of files) {
      for (let i = 0; i < file.length; i++) {
        for (const value of [0, 1, 0x7f, 0xff]) {
          const bytes = Uint8Array.from(file);
          bytes[i] = value;
          try {
            assert.ok(readIdx(bytes) instanceof Tensor);
          } catch (e) {
            assert.ok(e instanceof FoveaError && e.op === 'loadIdx', `byte ${i} = ${value}: ${e}`);
          }
        }
      }
    }
  });
});

describe("the browser build's readIdx (no zlib)", () => {
  it('reads plain bytes as readIdx does, and refuses gzip saying how to decompress it', () => {
    const t = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'uint8' },
    );
    const bytes = encodeIdx(t);
    assert.deepEqual(readIdxBytes(bytes).toArray(), readIdx(bytes).toArray());
    throwsFovea(
      () => readIdxBytes(gzipSync(bytes), 'labels.gz'),
      'loadIdx',
      /labels\.gz/,
      /gzip-compressed; decompress it first .*DecompressionStream\('gzip'\)/,
    );
  });
});

describe('encodeIdx', () => {
  it('refuses values the type cannot hold', () => {
    throwsFovea(
      () => encodeIdx(tensor([1, 256], { dtype: 'int32' }), { type: 'ubyte' }),
      'saveIdx',
      /element 1 is 256, which IDX type 'ubyte' cannot hold \(integers 0\.\.255\)/,
    );
    throwsFovea(() => encodeIdx(tensor([0.5]), { type: 'int' }), 'saveIdx', /element 0 is 0\.5/);
  });

  it('writes each dtype as its natural type by default', () => {
    const codes = (['uint8', 'int32', 'float32', 'float64'] as const).map(
      (dtype) => encodeIdx(tensor([1], { dtype }))[2],
    );
    assert.deepEqual(codes, [8, 12, 13, 14]);
  });
});
