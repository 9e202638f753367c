import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onnxTestCommand } from '../../cli/onnx-test.js';
import { encodeTensorProto } from '../../src/onnx/proto.js';
import { tensorToProto } from '../../src/onnx/tensor-proto.js';
import { tensor } from '../../src/tensor/create.js';
import { modelBytes, node } from './helpers.js';

/** Writes an ONNX backend test folder: Relu of one input, with the given expected output. */
function writeReluTest(dir: string, expected: number[]): void {
  mkdirSync(join(dir, 'test_data_set_0'), { recursive: true });
  writeFileSync(
    join(dir, 'model.onnx'),
    modelBytes([node('Relu', ['x'], ['y'])], {}, ['x'], ['y']),
  );
  writeFileSync(
    join(dir, 'test_data_set_0', 'input_0.pb'),
    encodeTensorProto(tensorToProto(tensor([-1, 2]), 'x')),
  );
  writeFileSync(
    join(dir, 'test_data_set_0', 'output_0.pb'),
    encodeTensorProto(tensorToProto(tensor(expected), 'y')),
  );
}

describe('fovea onnx-test', () => {
  const root = mkdtempSync(join(tmpdir(), 'fovea-onnx-test-'));
  writeReluTest(join(root, 'suite', 'test_relu_right'), [0, 2]);
  writeReluTest(join(root, 'suite', 'test_relu_wrong'), [0, 3]);

  it('finds test folders recursively and reports each failure and the totals', () => {
    const lines: string[] = [];
    const code = onnxTestCommand([root], (line) => lines.push(line));
    assert.equal(code, 1);
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      /^FAIL .*test_relu_wrong: test_data_set_0: output 'y' element 1 is 2, expected 3/,
    );
    assert.equal(lines[1], '1 passed, 1 failed');
  });

  it('exits 0 when everything passes', () => {
    const lines: string[] = [];
    assert.equal(
      onnxTestCommand([join(root, 'suite', 'test_relu_right')], (line) => lines.push(line)),
      0,
    );
    assert.deepEqual(lines, ['1 passed, 0 failed']);
  });
});
