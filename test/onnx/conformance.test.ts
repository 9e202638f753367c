import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runBackendTest } from '../../src/onnx/backend-test.js';

// ONNX's own backend tests for the CNN operators (Debian package libonnx-testdata): the 671
// listed in test/fixtures/onnx-cnn-tests.txt (a copy of ../shared/fixtures/onnx-cnn-tests.txt),
// minus those in conformance-skips.txt, each with its reason, must pass.
const data = '/usr/share/libonnx-testdata/data';
const listed = readFileSync('test/fixtures/onnx-cnn-tests.txt', 'utf8').split('\n').filter(Boolean);
const skips = new Map(
  readFileSync('test/onnx/conformance-skips.txt', 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [name, ...reason] = line.split(/\s+/);
      return [name, reason.join(' ')];
    }),
);

describe('ONNX backend conformance', () => {
  it('skips only listed tests, each with a reason, at most 11 of them', () => {
    for (const [name, reason] of skips) {
      assert.ok(listed.includes(name), `${name} is skipped but not listed`);
      assert.ok(reason.length > 0, `${name} is skipped without a reason`);
    }
    assert.ok(skips.size <= 11, `${skips.size} skips: at least 660 of 671 must pass`);
  });

  if (!existsSync(data)) {
    it('runs the suite', (t) => t.skip(`${data} is absent: install libonnx-testdata to run it`));
    return;
  }
  for (const name of listed.filter((n) => !skips.has(n))) {
    it(name, () => {
      const result = runBackendTest(join(data, name));
      assert.ok(result.passed, result.problem);
    });
  }
});
