import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { allocArray, type DType } from '../../src/backend/dtype.js';
import {
  encodeSafetensors,
  loadSafetensors,
  readSafetensors,
  saveSafetensors,
} from '../../src/io/safetensors.js';
import { FoveaError } from '../../src/tensor/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** Asserts that `fn` throws a loadSafetensors FoveaError (never another type) matching `pattern`. */
function refuses(fn: () => unknown, pattern: RegExp, op = 'loadSafetensors'): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FoveaError, `expected a FoveaError, got ${String(e)}`);
    assert.equal(e.op, op);
    assert.match(e.message, pattern);
    return true;
  });
}

/**
 * A safetensors file built by hand from the spec: the 8-byte little-endian header length, the
 * header text padded with spaces to a multiple of 8 (unless `pad` is false), then `data`.
 */
function craft(header: string, data: number[] | Uint8Array = [], pad = true): Uint8Array {
  const json = new TextEncoder().encode(header);
  const length = pad ? Math.ceil(json.length / 8) * 8 : json.length;
  const out = new Uint8Array(8 + length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(length), true);
  out.fill(0x20, 8, 8 + length);
  out.set(json, 8);
  out.set(data, 8 + length);
  return out;
}

/** A tensor of `dtype` holding `values`. */
function make(dtype: DType, shape: number[], values: number[]): Tensor {
  const data = allocArray(dtype, values.length);
  data.set(values);
  return new Tensor(data, shape, dtype);
}

const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

after(() => {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

describe('encodeSafetensors', () => {
  it('writes the reference layout byte for byte', () => {
    const tensors = new Map([
      ['b', make('float32', [2], [1, 2])],
      ['a', make('int32', [1], [-7])],
      ['c', make('float64', [], [0.5])],
      ['aa', make('uint8', [2, 1], [3, 255])],
    ]);
    // Widest dtype first, then by name; the offsets tile the data; spaces pad to 8 bytes.
    const header =
      '{"__metadata__":{"format":"pt"},' +
      '"c":{"dtype":"F64","shape":[],"data_offsets":[0,8]},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},' +
      '"a":{"dtype":"I32","shape":[1],"data_offsets":[16,20]},' +
      '"aa":{"dtype":"U8","shape":[2,1],"data_offsets":[20,22]}}';
    const data = [
      ...[0, 0, 0, 0, 0, 0, 0xe0, 0x3f], // 0.5 as a little-endian float64
      ...[0, 0, 0x80, 0x3f, 0, 0, 0, 0x40], // 1 and 2 as float32
      ...[0xf9, 0xff, 0xff, 0xff], // -7 as int32
      ...[3, 255],
    ];
    const expected = craft(header, data);
    assert.equal((expected.length - data.length) % 8, 0);
    assert.deepEqual(encodeSafetensors(tensors, { format: 'pt' }), expected);
  });

  it('writes an empty file as {} padded to 8 bytes, and omits absent metadata', () => {
    assert.deepEqual(encodeSafetensors(new Map()), craft('{}'));
    assert.equal(encodeSafetensors(new Map()).length, 16);
  });

  it('escapes names as JSON and keeps integer-like names in order', () => {
    const tensors = new Map([
      ['1', make('uint8', [1], [1])],
      ['0', make('uint8', [1], [0])],
      ['quote"\n/é', make('uint8', [1], [9])],
    ]);
    const { tensors: back } = readSafetensors(encodeSafetensors(tensors));
    assert.deepEqual([...back.keys()], ['0', '1', 'quote"\n/é']);
    assert.deepEqual(Array.from(back.get('quote"\n/é')!.data), [9]);
  });

  it('refuses reserved and unsafe names', () => {
    for (const name of ['__metadata__', '__proto__', 'constructor']) {
      const tensors = new Map([[name, make('uint8', [1], [1])]]);
      refuses(() => encodeSafetensors(tensors), /reserved or unsafe/, 'saveSafetensors');
    }
    const unsafe = JSON.parse('{"__proto__": "x"}') as Record<string, string>;
    refuses(() => encodeSafetensors(new Map(), unsafe), /metadata key/, 'saveSafetensors');
    const notString = { epoch: 3 } as unknown as Record<string, string>;
    refuses(() => encodeSafetensors(new Map(), notString), /must be a string/, 'saveSafetensors');
  });
});

describe('readSafetensors round trip', () => {
  const samples: Record<DType, number[]> = {
    float32: [0.5, -3, 1e-7, Infinity, -0, NaN],
    float64: [Math.PI, -1e300, 5e-324, -Infinity, -0, NaN],
    int32: [-2147483648, 2147483647, 0, -1, 7, 42],
    uint8: [0, 1, 127, 128, 255, 3],
  };
  for (const dtype of Object.keys(samples) as DType[]) {
    for (const shape of [[], [6], [2, 3], [0, 3], [1, 1, 1, 2, 3]]) {
      it(`${dtype} ${JSON.stringify(shape)}`, () => {
        const n = shape.reduce((a, b) => a * b, 1);
        const t = make(dtype, shape, samples[dtype].slice(0, n));
        const meta = { note: 'héllo "x"', epoch: '3' };
        const back = readSafetensors(encodeSafetensors(new Map([['t', t]]), meta));
        const u = back.tensors.get('t')!;
        assert.equal(u.dtype, dtype);
        assert.deepEqual(u.shape, shape);
        assert.deepEqual(Array.from(u.data), Array.from(t.data)); // NaN, -0 exact
        assert.deepEqual(back.metadata, meta);
      });
    }
  }

  it('round-trips many tensors of mixed dtypes, returned in header order', () => {
    const tensors = new Map<string, Tensor>();
    for (let i = 0; i < 30; i++) {
      const dtype = (['float32', 'float64', 'int32', 'uint8'] as const)[i % 4];
      tensors.set(`layer${i}.weight`, make(dtype, [i % 3, 2], new Array((i % 3) * 2).fill(i)));
    }
    const back = readSafetensors(encodeSafetensors(tensors)).tensors;
    assert.equal(back.size, 30);
    for (const [name, t] of tensors) {
      assert.deepEqual(Array.from(back.get(name)!.data), Array.from(t.data), name);
      assert.deepEqual(back.get(name)!.shape, t.shape);
    }
  });
});

describe('readSafetensors of files from other writers', () => {
  it('reads every dtype, in header order, whatever the data order', () => {
    const header = JSON.stringify(
      {
        __metadata__: { format: 'pt' },
        half: { dtype: 'F16', shape: [5], data_offsets: [40, 50] },
        bf: { dtype: 'BF16', shape: [2], data_offsets: [50, 54] },
        long: { dtype: 'I64', shape: [3], data_offsets: [0, 24] },
        big: { dtype: 'U64', shape: [1], data_offsets: [24, 32] },
        u32: { dtype: 'U32', shape: [1], data_offsets: [32, 36] },
        i16: { dtype: 'I16', shape: [1], data_offsets: [36, 38] },
        u16: { dtype: 'U16', shape: [1], data_offsets: [38, 40] },
        i8: { dtype: 'I8', shape: [2], data_offsets: [54, 56] },
        flag: { dtype: 'BOOL', shape: [3], data_offsets: [56, 59] },
      },
      null,
      2, // a pretty-printed header: whitespace is allowed anywhere JSON allows it
    );
    const data = [
      ...[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // I64 -2
      ...[0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0], // I64 2^31 - 1
      ...[0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff], // I64 -2^31
      ...[5, 0, 0, 0, 0, 0, 0, 0], // U64 5
      ...[0xff, 0xff, 0xff, 0x7f], // U32 2^31 - 1
      ...[0x00, 0x80], // I16 -32768
      ...[0xff, 0xff], // U16 65535
      ...[0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0x00, 0x7c, 0x00, 0x80], // F16 1 -2 2^-24 inf -0
      ...[0x80, 0x3f, 0x49, 0x40], // BF16 1, 3.140625
      ...[0x80, 0x7f], // I8 -128 127
      ...[0, 1, 7], // BOOL: any non-zero byte is true
    ];
    const { tensors, metadata } = readSafetensors(craft(header, data, false));
    assert.deepEqual(metadata, { format: 'pt' });
    assert.deepEqual(
      [...tensors.keys()],
      ['half', 'bf', 'long', 'big', 'u32', 'i16', 'u16', 'i8', 'flag'],
    );
    const got = (name: string) => [tensors.get(name)!.dtype, Array.from(tensors.get(name)!.data)];
    assert.deepEqual(got('half'), ['float32', [1, -2, 2 ** -24, Infinity, -0]]);
    assert.deepEqual(got('bf'), ['float32', [1, 3.140625]]);
    assert.deepEqual(got('long'), ['int32', [-2, 2147483647, -2147483648]]);
    assert.deepEqual(got('big'), ['int32', [5]]);
    assert.deepEqual(got('u32'), ['int32', [2147483647]]);
    assert.deepEqual(got('i16'), ['int32', [-32768]]);
    assert.deepEqual(got('u16'), ['int32', [65535]]);
    assert.deepEqual(got('i8'), ['int32', [-128, 127]]);
    assert.deepEqual(got('flag'), ['uint8', [0, 1, 1]]);
  });

  it('reads escapes in names', () => {
    const header = '{"a\\u00e9\\n\\"\\/":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}';
    assert.deepEqual([...readSafetensors(craft(header, [1])).tensors.keys()], ['aé\n"/']);
  });

  it('refuses 64-bit and uint32 values that do not fit in int32, naming value and offset', () => {
    const i64 = (bytes: number[]) =>
      craft('{"x":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}', [
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        ...bytes,
      ]);
    const headerEnd = 8 + 56;
    refuses(
      () => readSafetensors(i64([0, 0, 0, 0x80, 0, 0, 0, 0]), 'm.safetensors'),
      new RegExp(
        `m.safetensors: value 2147483648 of 'x' \\(I64\\) at offset ${headerEnd + 8} does not fit in int32`,
      ),
    );
    refuses(() => readSafetensors(i64([0, 0, 0, 0, 1, 0, 0, 0])), /value 4294967296 /);
    refuses(
      () => readSafetensors(i64([0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff])),
      /value -2147483649 /,
    );
    const u64 = craft(
      '{"x":{"dtype":"U64","shape":[1],"data_offsets":[0,8]}}',
      [0, 0, 0, 0x80, 0, 0, 0, 0],
    );
    refuses(() => readSafetensors(u64), /value 2147483648 .* \(U64\)/);
    const u32 = craft('{"x":{"dtype":"U32","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0x80]);
    refuses(() => readSafetensors(u32), /value 2147483648 .* \(U32\)/);
  });
});

describe('readSafetensors refuses bad files', () => {
  const entry = (dtype: string, shape: number[], begin: number, end: number) =>
    JSON.stringify({ dtype, shape, data_offsets: [begin, end] });
  const two = (a: [number, number], b: [number, number], dataBytes: number) =>
    craft(
      `{"a":${entry('F32', [(a[1] - a[0]) / 4], ...a)},"b":${entry('F32', [(b[1] - b[0]) / 4], ...b)}}`,
      new Array(dataBytes).fill(0),
    );

  it('names the file and the offset when truncated at every header byte and in the data', () => {
    const whole = encodeSafetensors(
      new Map([
        ['conv.weight', make('float32', [2, 2], [1, 2, 3, 4])],
        ['conv.bias', make('float32', [2], [5, 6])],
      ]),
      { format: 'pt' },
    );
    const headerEnd = 8 + Number(new DataView(whole.buffer).getBigUint64(0, true));
    for (let cut = 0; cut < whole.length; cut++) {
      refuses(
        () => readSafetensors(whole.subarray(0, cut), 'cut.safetensors'),
        /^loadSafetensors: cut\.safetensors: .*(offset|bytes)/,
      );
    }
    refuses(
      () => readSafetensors(whole.subarray(0, 5), 'f'),
      /file is 5 bytes, too short for the 8-byte header length/,
    );
    refuses(
      () => readSafetensors(whole.subarray(0, headerEnd - 1), 'f'),
      new RegExp(`should end at offset ${headerEnd} but the file is ${headerEnd - 1} bytes`),
    );
    refuses(
      () => readSafetensors(whole.subarray(0, whole.length - 3), 'f'),
      /reach file offset \d+ but the file is \d+ bytes/,
    );
  });

  it('refuses huge header lengths before reading further', () => {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, 2n ** 64n - 1n, true);
    refuses(
      () => readSafetensors(bytes),
      /header length at offset 0 is 18446744073709551615 bytes, more than the 100000000 allowed/,
    );
    view.setBigUint64(0, 100_000_001n, true);
    refuses(() => readSafetensors(bytes), /more than the 100000000 allowed/);
    view.setBigUint64(0, 100_000_000n, true);
    refuses(
      () => readSafetensors(bytes),
      /should end at offset 100000008 but the file is 16 bytes/,
    );
  });

  it('refuses gaps, overlaps and data past the end or left over', () => {
    assert.equal(readSafetensors(two([0, 8], [8, 12], 12)).tensors.size, 2);
    assert.equal(readSafetensors(two([4, 8], [0, 4], 8)).tensors.size, 2); // any header order
    refuses(
      () => readSafetensors(two([0, 8], [12, 16], 16)),
      /'b' .* leave a gap of 4 bytes after 'a' \(expected the data to start at 8\)/,
    );
    refuses(
      () => readSafetensors(two([4, 8], [8, 12], 12)),
      /'a' .* leave a gap of 4 bytes after the header/,
    );
    refuses(() => readSafetensors(two([0, 8], [4, 8], 8)), /'b' .* overlap 'a', which ends at 8/);
    refuses(() => readSafetensors(two([0, 8], [0, 8], 8)), /overlap 'a'/);
    refuses(
      () => readSafetensors(two([0, 8], [8, 12], 10)),
      /data_offsets \[8,12\] of 'b' .* reach file offset/,
    );
    refuses(
      () => readSafetensors(two([0, 8], [8, 12], 20)),
      /cover 12 bytes of data but the file has 20 .*: 8 bytes are not described/,
    );
    refuses(
      () => readSafetensors(craft(`{"a":${entry('F32', [1], 8, 4)}}`, [])),
      /\[8,4\]; expected \[begin, end\] with begin <= end/,
    );
    refuses(
      () => readSafetensors(craft(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, [])),
      /data_offsets of .* has more than 2 items/,
    );
  });

  it('accepts empty tensors anywhere in the data', () => {
    const header = `{"a":${entry('F32', [1], 0, 4)},"e":${entry('F32', [0, 5], 4, 4)},"z":${entry('U8', [0], 0, 0)}}`;
    const { tensors } = readSafetensors(craft(header, [0, 0, 0x80, 0x3f]));
    assert.deepEqual(tensors.get('e')!.shape, [0, 5]);
    assert.deepEqual(Array.from(tensors.get('a')!.data), [1]);
  });

  it('refuses duplicate keys at every level', () => {
    const e = entry('U8', [1], 0, 1);
    refuses(
      () => readSafetensors(craft(`{"a":${e},"a":${e}}`, [1])),
      /key 'a' appears twice \(second at offset \d+\)/,
    );
    refuses(
      () => readSafetensors(craft(`{"__metadata__":{"k":"1","k":"2"}}`)),
      /key 'k' appears twice/,
    );
    refuses(
      () => readSafetensors(craft(`{"__metadata__":{},"__metadata__":{}}`)),
      /key '__metadata__' appears twice/,
    );
    refuses(
      () =>
        readSafetensors(
          craft('{"a":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}', [1]),
        ),
      /key 'dtype' appears twice/,
    );
  });

  it('refuses __proto__ and constructor keys without touching Object.prototype', () => {
    const e = entry('U8', [1], 0, 1);
    for (const key of ['__proto__', 'constructor']) {
      refuses(
        () => readSafetensors(craft(`{"${key}":${e}}`, [1])),
        new RegExp(`key '${key}' at offset 9 is not allowed`),
      );
      refuses(
        () => readSafetensors(craft(`{"__metadata__":{"${key}":"{\\"polluted\\":1}"}}`)),
        /is not allowed/,
      );
    }
    refuses(
      () => readSafetensors(craft(`{"__metadata__":{"__pro\\u0074o__":"x"}}`)),
      /'__proto__' .* not allowed/,
    );
    refuses(
      () => readSafetensors(craft('{"a":{"__proto__":{"polluted":1},"dtype":"U8"}}', [1])),
      /not allowed/,
    );
  });

  it('refuses headers that are not the schema in strict JSON', () => {
    const cases: [string, RegExp][] = [
      [' {}', /starting with '\{' at offset 8, found " "/],
      ['[]', /starting with '\{' at offset 8, found "\["/],
      ['{"a":1}', /expected '\{' at offset 13, found "1"/],
      [
        '{"a":{"dtype":"F32","shape":[1]}}',
        /tensor 'a' \(header offset 9\) has no data_offsets field/,
      ],
      ['{"a":{}}', /has no dtype or shape or data_offsets field/],
      [
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}',
        /unexpected field 'extra'/,
      ],
      [
        '{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,4]}}',
        /dtype 'F8_E4M3'; fovea reads F64, F32/,
      ],
      [
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}',
        /shape \[2\] of F32 needs 8 bytes but data_offsets \[0,4\] hold 4/,
      ],
      [
        '{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}',
        /expected a non-negative integer in the shape of tensor 'a' .* found "-"/,
      ],
      [
        '{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}',
        /expected a non-negative integer/,
      ],
      [
        '{"a":{"dtype":"F32","shape":[1e0],"data_offsets":[0,4]}}',
        /expected a non-negative integer/,
      ],
      ['{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}', /leading zero/],
      [
        `{"a":{"dtype":"F32","shape":[${'9'.repeat(5000)}],"data_offsets":[0,4]}}`,
        /5000-digit number .* too large/,
      ],
      ['{"a":{"dtype":"F32","shape":[9007199254740993],"data_offsets":[0,4]}}', /too large/],
      [
        `{"a":{"dtype":"F32","shape":[${new Array(65).fill(1).join(',')}],"data_offsets":[0,4]}}`,
        /has more than 64 items/,
      ],
      [
        '{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}',
        /needs 316912650057057350374175801344 bytes/,
      ],
      ['{"__metadata__":{"k":1}}', /expected '"' to start metadata 'k'/],
      ['{"__metadata__":{"k":"a\\x"}}', /invalid escape in metadata 'k' at offset 31/],
      ['{"__metadata__":{"k":"a\\u12"}}', /invalid \\u escape/],
      ['{"__metadata__":{"k":"a\tb"}}', /control character in metadata 'k'/],
      [
        '{"__metadata__":{"k":"abc',
        /string in metadata 'k' is not closed at offset \d+, found the end of the header/,
      ],
      ['{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},}', /expected '"' to start a key/],
      [
        '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}} x',
        /unexpected text after the header's object at offset \d+, found "x"/,
      ],
      ['{"a":{"dtype":"U8" "shape":[1]}}', /expected ',' or '\}'/],
      ['{} {}', /unexpected text after/],
    ];
    for (const [header, pattern] of cases) {
      refuses(() => readSafetensors(craft(header, [0, 0, 0, 0]), 'bad.safetensors'), pattern);
    }
  });

  it('refuses a header that is not UTF-8', () => {
    const bytes = craft('{"__metadata__":{"k":"xx"}}');
    bytes[30] = 0xff;
    refuses(() => readSafetensors(bytes), /header at offsets 8\.\.40 is not valid UTF-8/);
  });

  it('either loads or throws a FoveaError for mutated files', () => {
    const seed = encodeSafetensors(
      new Map([
        ['w', make('float32', [2, 2], [1, 2, 3, 4])],
        ['n', make('int32', [1], [5])],
      ]),
      { format: 'pt' },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), {
          maxLength: 4,
        }),
        fc.nat(seed.length),
        (edits, cut) => {
          const bytes = seed.slice(0, Math.max(cut, 8));
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          try {
            readSafetensors(bytes);
          } catch (e) {
            if (!(e instanceof FoveaError)) throw e;
          }
        },
      ),
      { numRuns: 2000, seed: 6 },
    );
  });
});

describe('saveSafetensors and loadSafetensors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fovea-safetensors-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through a file, replacing it atomically, leaving no temporary file', () => {
    const path = join(dir, 'model.safetensors');
    saveSafetensors(path, new Map([['w', make('float32', [1], [1])]]));
    saveSafetensors(path, new Map([['w', make('float32', [2], [7, 8])]]), { step: '2' });
    assert.deepEqual(readdirSync(dir), ['model.safetensors']);
    const { tensors, metadata } = loadSafetensors(path);
    assert.deepEqual(Array.from(tensors.get('w')!.data), [7, 8]);
    assert.deepEqual(metadata, { step: '2' });
    assert.deepEqual(new Uint8Array(readFileSync(path)), encodeSafetensors(tensors, metadata));
  });

  it('names the path when a file cannot be read or written', () => {
    refuses(
      () => loadSafetensors(join(dir, 'missing.safetensors')),
      /missing\.safetensors: cannot read the file/,
    );
    refuses(
      () => saveSafetensors(join(dir, 'no', 'such', 'x.safetensors'), new Map()),
      /x\.safetensors: cannot write the file/,
      'saveSafetensors',
    );
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
});
