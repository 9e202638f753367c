import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const probe = fileURLToPath(new URL('./resume-probe.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'fovea-resume-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs resume-probe.ts in a new process and returns its hashes. */
function run(...args: string[]): Record<string, string> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', probe, ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, string>;
}

// 40 samples in batches of 8: 5 steps per epoch.
describe('resume is bit-identical (dropout, shuffling, augmentation, Adam)', () => {
  for (const [label, steps] of [
    ['saved mid-epoch (step 7 of 14)', 14],
    ['saved at an epoch boundary (step 5 of 10)', 10],
  ] as const) {
    it(label, () => {
      const dir = mkdtempSync(join(root, 'run-'));
      const straight = run('straight', String(steps));
      run('first', String(steps / 2), dir);
      const resumed = run('resume', String(steps), dir);
      // weights, Adam moments and step counts, both generators, the next batch's indices and data
      assert.deepEqual(resumed, straight);
    });
  }

  it('seeded runs repeat bit for bit', () => {
    assert.deepEqual(run('straight', '6'), run('straight', '6'));
  });
});
