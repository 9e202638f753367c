import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Callback, Logs } from '../callback.js';

/** Appends one JSON object per epoch (its logs and a timestamp) to a .jsonl file. */
export class JsonLinesLogger implements Callback {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    appendFileSync(this.path, `${JSON.stringify({ time: new Date().toISOString(), ...logs })}\n`);
  }
}
