import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Linear } from '../../src/nn/layers/linear.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { numberedCheckpoint } from './numbered-checkpoint.js';

/** Kills here; CI runs 200 (FOVEA_KILLS=200, see .ci/run). */
const KILLS = Number(process.env.FOVEA_KILLS ?? 30);
/** Writers killed at once, each in its own folder. */
const LANES = 2;
const writer = fileURLToPath(new URL('./checkpoint-writer.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'fovea-kill-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The bytes saveCheckpoint writes for checkpoint k (rebuilt here to compare against). */
function expectedBytes(k: number): Buffer {
  const path = join(root, `expected-${k}.safetensors`);
  const { parts, progress } = numberedCheckpoint(k);
  saveCheckpoint(path, parts, progress);
  const bytes = readFileSync(path);
  rmSync(path);
  return bytes;
}

/**
 * Starts a writer saving checkpoints to `path`, waits for its first completed save, kills it with
 * SIGKILL after a random 0–60 ms, and returns the number of the last save it reported.
 */
function killWriterMidway(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (timer === undefined && output.includes('\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), Math.random() * 60);
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself: ${output}`));
      const saved = [...output.matchAll(/saved (\d+)\n/g)].map((m) => Number(m[1]));
      resolve(saved[saved.length - 1]);
    });
  });
}

describe('checkpoints survive SIGKILL during saves', () => {
  it(`after ${KILLS} kills the file is always the previous or the new checkpoint, byte for byte`, async (t) => {
    let midWrite = 0;
    const lane = async (l: number) => {
      for (let i = l; i < KILLS; i += LANES) {
        const dir = mkdtempSync(join(root, 'run-'));
        const path = join(dir, 'last.safetensors');
        const lastReported = await killWriterMidway(path);
        const model = new Linear(1024, 512);
        const k = loadCheckpoint(path, { model }).epoch; // throws on a partial file
        assert.ok(
          k === lastReported || k === lastReported + 1,
          `kill ${i}: the file holds checkpoint ${k}, the writer had finished ${lastReported}`,
        );
        assert.ok(
          readFileSync(path).equals(expectedBytes(k)),
          `kill ${i}: checkpoint ${k} differs`,
        );
        // A temporary file left behind means the kill interrupted a write.
        if (readdirSync(dir).some((f) => f.endsWith('.tmp'))) midWrite++;
        rmSync(dir, { recursive: true, force: true });
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));
    t.diagnostic(`${KILLS} kills, ${midWrite} of them during a write (temporary file left behind)`);
    assert.ok(midWrite > 0, 'no kill landed during a write');
  });
});
