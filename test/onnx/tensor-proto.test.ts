import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeModel, encodeModel, OnnxDataType, type TensorProto } from '../../src/onnx/proto.js';
import { tensorFromProto, tensorToProto } from '../../src/onnx/tensor-proto.js';
import { FoveaError, LoadError } from '../../src/tensor/errors.js';
import { tensor } from '../../src/tensor/create.js';

const source = { file: 'weights.onnx' };
const bytes = (array: ArrayBufferView) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

describe('tensorFromProto', () => {
  it('reads raw_data and the typed fields', () => {
    const raw = tensorFromProto(
      { dims: [2], data_type: OnnxDataType.FLOAT, raw_data: bytes(Float32Array.of(1.5, -2)) },
      source,
    );
    assert.deepEqual([raw.dtype, [...raw.data]], ['float32', [1.5, -2]]);
    const typed = tensorFromProto(
      { dims: [3], data_type: OnnxDataType.DOUBLE, double_data: [1, 2, 3] },
      source,
    );
    assert.deepEqual([typed.dtype, typed.shape], ['float64', [3]]);
  });

  it('maps ONNX types onto fovea dtypes: int64 saturates to int32, bool to uint8, float16 widens', () => {
    const int64 = tensorFromProto(
      {
        dims: [3],
        data_type: OnnxDataType.INT64,
        raw_data: bytes(BigInt64Array.of(5n, 2n ** 62n, -(2n ** 63n))),
      },
      source,
    );
    assert.deepEqual([int64.dtype, [...int64.data]], ['int32', [5, 2 ** 31 - 1, -(2 ** 31)]]);
    const bool = tensorFromProto(
      { dims: [2], data_type: OnnxDataType.BOOL, int32_data: [0, 7] },
      source,
    );
    assert.deepEqual([bool.dtype, [...bool.data]], ['uint8', [0, 1]]);
    const half = tensorFromProto(
      { dims: [1], data_type: OnnxDataType.FLOAT16, raw_data: bytes(Uint16Array.of(0x3c00)) },
      source,
    );
    assert.deepEqual([half.dtype, [...half.data]], ['float32', [1]]);
  });

  it('round-trips through tensorToProto', () => {
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    );
    const back = tensorFromProto(tensorToProto(t, 'shape', OnnxDataType.INT64), source);
    assert.deepEqual(
      [back.shape, [...back.data]],
      [
        [2, 2],
        [1, 2, 3, 4],
      ],
    );
  });

  const bad: [string, TensorProto, RegExp][] = [
    [
      'raw_data shorter than dims say',
      { dims: [4], data_type: 1, raw_data: new Uint8Array(12) },
      /raw_data has 12 bytes but 4 FLOAT elements need 16/,
    ],
    [
      'a typed field with too few values',
      { dims: [2, 2], data_type: 1, float_data: [1] },
      /float_data has 1 values but dims need 4/,
    ],
    ['a negative dim', { dims: [-1], data_type: 1 }, /dims must be non-negative integers/],
    [
      'an element count that overflows',
      { dims: [2 ** 20, 2 ** 20, 2 ** 20], data_type: 1 },
      /hold more than/,
    ],
    [
      'a STRING tensor',
      { dims: [1], data_type: OnnxDataType.STRING },
      /element type STRING is not supported/,
    ],
  ];
  for (const [what, proto, message] of bad) {
    it(`refuses ${what} with a FoveaError naming the file`, () => {
      assert.throws(
        () => tensorFromProto({ ...proto, name: 'w' }, source),
        (e: unknown) => {
          assert.ok(e instanceof FoveaError);
          assert.match(e.message, /weights\.onnx: tensor 'w'/);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});

describe('external data', () => {
  const root = mkdtempSync(join(tmpdir(), 'fovea-external-'));
  const modelDir = join(root, 'model');
  mkdirSync(modelDir);
  writeFileSync(join(modelDir, 'weights.bin'), bytes(Float32Array.of(0, 1, 2, 3)));
  writeFileSync(join(root, 'secret.bin'), bytes(Float32Array.of(9, 9)));
  symlinkSync(join(root, 'secret.bin'), join(modelDir, 'link.bin'));
  const external = (location: string, extra: Record<string, string> = {}): TensorProto => ({
    name: 'w',
    dims: [2],
    data_type: 1,
    data_location: 1,
    external_data: [
      { key: 'location', value: location },
      ...Object.entries(extra).map(([key, value]) => ({ key, value })),
    ],
  });
  const from = { file: join(modelDir, 'model.onnx'), modelDir };

  it('reads a file next to the model, at an offset', () => {
    const t = tensorFromProto(external('weights.bin', { offset: '8', length: '8' }), from);
    assert.deepEqual([...t.data], [2, 3]);
  });

  for (const [what, location] of [
    ['climbs out with ..', '../secret.bin'],
    ['is absolute', join(root, 'secret.bin')],
    ['resolves outside the folder (through a link)', 'link.bin'],
  ]) {
    it(`refuses a location that ${what}`, () => {
      assert.throws(
        () => tensorFromProto(external(location), from),
        (e: unknown) => {
          assert.ok(e instanceof FoveaError);
          assert.match(e.message, /only files inside the model's folder/);
          return true;
        },
      );
    });
  }

  it('refuses a length that does not match the dims, before reading', () => {
    assert.throws(
      () => tensorFromProto(external('weights.bin', { length: '4' }), from),
      /must hold 8 bytes at offset 0, got length 4/,
    );
    assert.throws(
      () => tensorFromProto(external('weights.bin', { offset: '12' }), from),
      /must hold 8 bytes at offset 12/,
    );
  });
});

describe('reading a file that is not an ONNX model', () => {
  it('names the file, its size and the offset, and recognises a saved web page', () => {
    const html = new TextEncoder().encode('<!DOCTYPE html><html><body>Sign in</body></html>');
    assert.throws(
      () => decodeModel(html, 'mobilenet.onnx'),
      (e: unknown) =>
        e instanceof LoadError &&
        /mobilenet\.onnx: not a valid ONNX model \(\d+ bytes\): .*offset/.test(e.message) &&
        /HTML page/.test(e.message),
    );
  });

  it('refuses a model cut short with a LoadError naming the file', () => {
    const bytes = encodeModel({
      graph: { name: 'g', node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }] },
    });
    for (let end = 1; end < bytes.length; end++) {
      assert.throws(
        () => decodeModel(bytes.subarray(0, end), 'cut.onnx'),
        (e: unknown) => e instanceof LoadError && e.message.includes('cut.onnx'),
      );
    }
  });
});
