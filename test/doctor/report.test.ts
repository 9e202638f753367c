import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { doctorCommand } from '../../cli/doctor.js';
import { formatDoctorReport } from '../../src/doctor/format.js';
import { saveModel } from '../../src/io/model-file.js';
import { createModel } from '../../src/nn/zoo/index.js';
import { FASHION_STATS } from './helpers.js';

describe('doctor report and command', () => {
  it('formats each finding with its evidence and fix, wrapped, and counts them', () => {
    const text = formatDoctorReport(
      [
        {
          id: 'dead-relus',
          severity: 'warning',
          message: 'word '.repeat(40).trim(),
          evidence: { '3': 1, fraction: 0.123456 },
          fix: 'Lower the learning rate.',
        },
      ],
      'title',
    );
    const lines = text.split('\n');
    assert.equal(lines[0], 'title');
    assert.equal(lines[2], 'WARNING dead-relus');
    assert.ok(lines.every((l) => l.length <= 100));
    assert.ok(lines.includes('  evidence: 3 1, fraction 0.1235'));
    assert.ok(lines.includes('  fix: Lower the learning rate.'));
    assert.equal(lines.at(-1), '0 errors, 1 warning, 0 notes.');
    assert.equal(formatDoctorReport([]), 'fovea doctor\n\nNo problems found.');
  });

  it('fovea doctor on a saved model whose batch norms were never updated returns its errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fovea-doctor-'));
    try {
      saveModel(dir, createModel('fashion_cnn', { widthMult: 0.25 }), {
        architecture: { name: 'fashion_cnn', options: { widthMult: 0.25 } },
        inputShape: [1, 28, 28],
        normalization: FASHION_STATS,
      });
      const lines: string[] = [];
      const errors = await doctorCommand(dir, {}, (l) => lines.push(l));
      const report = lines.join('\n');
      assert.equal(errors, 1);
      assert.match(report, /^fovea doctor: .*, input \[1,28,28\], no data/);
      assert.match(report, /ERROR batchnorm-stats-never-updated/);
      assert.match(report, /1 error, 1 warning, 0 notes\.$/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
