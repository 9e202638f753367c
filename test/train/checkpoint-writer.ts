/**
 * Run by checkpoint-kill.test.ts: saves checkpoint 1, 2, 3, ... to `path` in a loop, reporting
 * each completed save as a line `saved <k>` on stdout, until it is killed.
 *
 * Usage: node --import tsx test/train/checkpoint-writer.ts <path>
 */
import { writeSync } from 'node:fs';
import { saveCheckpoint } from '../../src/train/checkpoint.js';
import { numberedCheckpoint } from './numbered-checkpoint.js';

const path = process.argv[2];
for (let k = 1; ; k++) {
  const { parts, progress } = numberedCheckpoint(k);
  saveCheckpoint(path, parts, progress);
  writeSync(1, `saved ${k}\n`);
}
