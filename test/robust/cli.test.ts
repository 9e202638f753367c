import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createModel, manualSeed, saveModel } from '../../src/index.js';

const fovea = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { encoding: 'utf8' });

describe('fovea attack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fovea-attack-'));
  manualSeed(0);
  saveModel(dir, createModel('fashion_cnn', { widthMult: 0.25 }), {
    architecture: { name: 'fashion_cnn', options: { widthMult: 0.25 } },
    inputShape: [1, 28, 28],
    normalization: { mean: [0.286], std: [0.353] },
  });

  it('prints clean and adversarial accuracy', () => {
    const run = fovea('attack', dir, '--eps', '0.1', '--limit', '16', '--steps', '2');
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /clean accuracy [\d.]+% on 16 images\nadversarial accuracy [\d.]+% \(PGD-2 L∞, eps 0.1\)/,
    );
    const fgsm = fovea('attack', dir, '--method', 'fgsm', '--limit', '16');
    assert.equal(fgsm.status, 0, fgsm.stderr);
    assert.match(fgsm.stdout, /adversarial accuracy [\d.]+% \(FGSM L∞, eps 0.1\)/);
  });

  it('refuses an unknown method or norm', () => {
    const method = fovea('attack', dir, '--method', 'cw');
    assert.equal(method.status, 2);
    assert.match(method.stderr, /attack: unknown --method 'cw'; use one of fgsm, pgd/);
    const norm = fovea('attack', dir, '--norm', 'l1');
    assert.equal(norm.status, 2);
    assert.match(norm.stderr, /attack: --norm must be linf or l2, got 'l1'/);
  });
});
