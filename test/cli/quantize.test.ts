import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadQuantizedModel } from '../../src/index.js';

describe('fovea quantize', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'fovea-quantize-')), 'int8');
  after(() => rmSync(join(out, '..'), { recursive: true, force: true }));

  it('prints fp32 and int8 accuracy, size and speed, and saves a loadable int8 model', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'cli/main.ts',
        'quantize',
        'test/fixtures/deploy/fashion-cnn',
        '--calib-size',
        '128',
        '--out',
        out,
      ],
      { encoding: 'utf8', env: { ...process.env, FOVEA_BACKEND: 'reference' } },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /calibrated on 128 images \(minmax\); scored on 2000 test images/);
    assert.match(
      run.stdout,
      /fp32 {2}accuracy [\d.]+% {2}weights 105\.9 kB {2}\d+ images\/s \(reference backend\)/,
    );
    const int8 =
      /int8 {2}accuracy ([\d.]+)% \((-?[\d.]+) pp\) {2}weights ([\d.]+) kB \(([\d.]+)× smaller\)/.exec(
        run.stdout,
      );
    assert.ok(int8, run.stdout);
    assert.ok(Math.abs(Number(int8[2])) <= 1, `int8 is ${int8[2]} pp from fp32`);
    assert.ok(Number(int8[4]) >= 3.5);
    assert.equal(loadQuantizedModel(out).model.quantizedLayers().length, 4);
  });

  it('refuses bad options before any work', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'cli/main.ts',
        'quantize',
        'test/fixtures/deploy/fashion-cnn',
        '--calibration',
        'mean',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 2);
    assert.match(run.stderr, /quantize: --calibration must be minmax or percentile, got 'mean'/);
  });

  it('names a missing model folder', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', 'quantize', 'no/such/run'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /loadModel: no\/such\/run\/config\.json: cannot read the model config/,
    );
  });
});
