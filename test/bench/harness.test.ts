import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { measure, median } from '../../bench/harness.js';
import type { BenchReport } from '../../bench/report.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('bench harness', () => {
  it('takes the median, and the times a runner reports itself', async () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    const reported = [5, 1, 4, 2, 3, 9, 9];
    const m = await measure({ run: () => reported.shift() }, { warmup: 2, runs: 5, capMs: 60_000 });
    assert.deepEqual(m.timesMs, [4, 2, 3, 9, 9]);
    assert.equal(m.medianMs, 4);
    assert.equal(m.spread, (9 - 2) / 4);
    assert.equal(m.warmupRuns, 2);
    assert.equal(m.capped, false);
  });

  it('stops at the time cap, with one warm-up when a run is slow, and says so', async () => {
    const m = await measure({ run: () => sleep(30) }, { warmup: 3, runs: 5, capMs: 50 });
    assert.equal(m.warmupRuns, 1);
    assert.equal(m.timesMs.length, 1);
    assert.equal(m.capped, true);
  });

  it('runs one tiny workload with --quick and writes the table as JSON', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'fovea-bench-')), 'bench.json');
    const args = ['--quick', '--only', 'sgemm-512', '--runs', '2', '--json', json];
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...args], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /\| SGEMM 64³ +\| GFLOP\/s \|/);

    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    assert.equal(report.quick, true);
    assert.equal(report.runs, 2);
    assert.equal(typeof report.backend, 'string');
    assert.deepEqual(
      report.peers.map((p) => p.name),
      ['fovea', 'tfjs-cpu', 'tfjs-wasm', 'onnxruntime', 'pytorch', 'chromium', 'firefox'],
    );
    for (const peer of report.peers) assert.ok(peer.label ?? peer.unavailable, peer.name);

    assert.equal(report.rows.length, 1);
    const [row] = report.rows;
    assert.equal(row.workload, 'sgemm-512');
    assert.equal(row.unit, 'GFLOP/s');
    assert.equal(row.work, 2 * 64 ** 3);
    assert.equal(row.goal, undefined);
    const available = report.peers.filter((p) => !p.unavailable).map((p) => p.name);
    assert.deepEqual(Object.keys(row.cells), available);
    for (const [name, cell] of Object.entries(row.cells)) {
      assert.equal(cell.status, 'ok', `${name}: ${cell.status === 'ok' ? '' : cell.reason}`);
      if (cell.status !== 'ok') continue;
      assert.ok(cell.rate > 0 && Number.isFinite(cell.rate), name);
      assert.equal(cell.measurement.timesMs.length, 2, name);
      assert.equal(name === 'fovea', cell.foveaRatio === undefined, name);
    }
  });
});
