/**
 * The Chromium peer's page (bundled with the browser build of fovea): starts the wasm backend,
 * builds each workload with the fovea peer's own runner, and times its runs in the page.
 */
import { ready, type WasmInfo } from '../../src/index.js';
import type { Inputs, Operand } from '../inputs.js';
import type { Workload } from '../workload.js';
import { runner } from './fovea.js';

let prepared: ReturnType<typeof runner> | undefined;

/** Starts the backend with `threads` threads (one per core when absent). */
export function start(threads?: number): Promise<WasmInfo> {
  return ready(threads === undefined ? {} : { threads });
}

/** One input, fetched as raw bytes from the peer's server. */
async function fetchOperand(name: string, shape: number[], dtype: string): Promise<Operand> {
  const bytes = await (await fetch(`/inputs/${name}`)).arrayBuffer();
  return { data: dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes), shape };
}

/** Prepares `workload` on the inputs the server holds, described by name, shape and dtype. */
export async function prepare(
  workload: Workload,
  inputs: { name: string; shape: number[]; dtype: string }[],
): Promise<void> {
  const operands: Inputs = {};
  for (const { name, shape, dtype } of inputs) {
    operands[name] = await fetchOperand(name, shape, dtype);
  }
  await prepared?.dispose?.();
  prepared = runner(workload, operands);
}

/** Runs the prepared workload once; its milliseconds by the page's clock. */
export async function runOnce(): Promise<number> {
  const start = performance.now();
  await prepared!.run();
  return performance.now() - start;
}
