import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCase, findCases } from '../../src/io/torch-fixtures.js';
import { saveNpy } from '../../src/io/npy.js';
import { tensor } from '../../src/index.js';
import { onBackend } from '../helpers/backend.js';

const vendored = 'test/fixtures/torch/ops';
const extra = 'test/fixtures/torch-extra/ops';

// Every PyTorch op case passes on every backend: forward, each listed gradient and state_after,
// within rtol 1e-4 / atol 1e-5. The shared cases are vendored in test/fixtures/torch/ops.
for (const backend of ['wasm', 'reference']) {
  for (const root of [vendored, extra]) {
    describe(`PyTorch fixtures in ${root} on the ${backend} backend`, () => {
      for (const dir of findCases(root)) {
        it(dir.slice(root.length + 1), () => {
          const result = onBackend(backend, () => runCase(dir));
          assert.equal(result.status, 'passed', result.problems.join('\n'));
        });
      }
    });
  }
}

describe('the vendored copy', () => {
  const shared = '../shared/fixtures/torch/ops';
  it('matches ../shared/fixtures when it is present', (t) => {
    if (!existsSync(shared)) return t.skip('../shared/fixtures is not here');
    const names = (root: string) => findCases(root).map((d) => d.slice(root.length + 1));
    assert.deepEqual(names(vendored), names(shared));
    for (const name of names(shared)) {
      assert.equal(
        readFileSync(join(vendored, name, 'case.json'), 'utf8'),
        readFileSync(join(shared, name, 'case.json'), 'utf8'),
      );
    }
  });
});

describe('fovea fixtures (the command)', () => {
  const run = (...dirs: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'fixtures', ...dirs], {
      encoding: 'utf8',
    });

  it('reports a wrong case with its name, what differed and the error, and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fovea-fixtures-'));
    cpSync(join(vendored, 'act_relu'), join(dir, 'good'), { recursive: true });
    cpSync(join(vendored, 'act_relu'), join(dir, 'bad'), { recursive: true });
    // Corrupt the expected output of one copy.
    const out = JSON.parse(readFileSync(join(dir, 'bad', 'case.json'), 'utf8')).output as string;
    saveNpy(join(dir, 'bad', out), tensor([[0.5]]));
    const result = run(dir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /FAIL bad: output: shape \[3,4,5\], expected \[1,1\]/);
    assert.doesNotMatch(result.stdout, /FAIL good/);
    assert.match(result.stdout, /^1 passed, 1 failed$/m);
  });

  it('names an unsupported op', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fovea-fixtures-'));
    cpSync(join(vendored, 'act_relu'), join(dir, 'weird'), { recursive: true });
    const spec = JSON.parse(readFileSync(join(dir, 'weird', 'case.json'), 'utf8'));
    writeFileSync(join(dir, 'weird', 'case.json'), JSON.stringify({ ...spec, op: 'frobnicate' }));
    const result = run(dir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /FAIL weird: .*op 'frobnicate' is not supported/);
  });

  it('passes the vendored cases', () => {
    const result = run(vendored);
    assert.equal(result.status, 0, result.stdout);
    assert.match(
      result.stdout,
      new RegExp(`^${findCases(vendored).length} passed, 0 failed$`, 'm'),
    );
  });
});
