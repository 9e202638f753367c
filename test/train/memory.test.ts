import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** Steps here; CI runs 10,000 (FOVEA_MEMORY_STEPS=10000, see .ci/run). */
const STEPS = Number(process.env.FOVEA_MEMORY_STEPS ?? 1500);
const MB = 1024 * 1024;

interface Probe {
  train: { epochLive: number[]; baseline: number; warmBytes: number; endBytes: number };
  inference: { checkpoints: number[]; baseline: number; warmBytes: number; endBytes: number };
}

describe('memory: training and inference without dispose() do not leak', () => {
  const probe = fileURLToPath(new URL('./leak-probe.ts', import.meta.url));
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', probe, String(STEPS)],
    { encoding: 'utf8', maxBuffer: 16 * MB },
  );
  const result = JSON.parse(out.trim().split('\n').pop()!) as Probe;

  it(`${STEPS} training steps: live buffers back to the baseline at every epoch end`, () => {
    const { epochLive, baseline } = result.train;
    assert.ok(epochLive.length > 3 && baseline > 0);
    assert.deepEqual(
      epochLive,
      epochLive.map(() => baseline),
    );
    assert.ok(result.train.endBytes - result.train.warmBytes < 5 * MB);
  });

  it(`${STEPS} predict calls: live buffers back to the baseline, heap flat`, () => {
    const { checkpoints, baseline } = result.inference;
    assert.deepEqual(
      checkpoints,
      checkpoints.map(() => baseline),
    );
    assert.ok(result.inference.endBytes - result.inference.warmBytes < 5 * MB);
  });
});
