/**
 * The wasm backend's host in Node: kernels read from `dist/wasm/` and compiled synchronously,
 * worker_threads, one thread per core unless `FOVEA_THREADS` says otherwise, and a caller that
 * sleeps in Atomics.wait (allowed on Node's main thread).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { checkThreadCount, workerLoop, type CompiledKernels, type WasmHost } from './host-api.js';

interface WasmCompiler {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmCompiler }).WebAssembly;

/**
 * A file the build writes under fovea's package root: `dist/wasm/fovea-kernels.wasm` (SIMD), or
 * with `relaxed` `dist/wasm/fovea-kernels-relaxed.wasm` (SIMD and relaxed SIMD's fused madd).
 */
export function wasmKernelsPath(relaxed = false): string {
  // The nearest folder above this module with a package.json: the same from src/ (tsx) and dist/.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'wasm', relaxed ? 'fovea-kernels-relaxed.wasm' : 'fovea-kernels.wasm');
}

/**
 * Whether this engine runs relaxed SIMD: Node 22 does by default; Node 20 behind a V8 flag,
 * which can still be set at run time, before the module is compiled. `FOVEA_RELAXED_SIMD=0`
 * keeps the plain SIMD build (to compare the two).
 */
function relaxedSimd(bytes: Uint8Array): boolean {
  if (process.env.FOVEA_RELAXED_SIMD === '0') return false;
  if (wasm.validate(bytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasm.validate(bytes);
}

function compile(): CompiledKernels {
  const paths = [wasmKernelsPath(true), wasmKernelsPath()];
  const missing = paths.filter((path) => !existsSync(path));
  if (missing.length) {
    throw new Error(
      `fovea: the WebAssembly kernels are not built (${missing.join(', ')} missing); ` +
        'run `npm run build:wasm` (npm ci and npm run build also do)',
    );
  }
  const relaxed = readFileSync(paths[0]);
  const isa = relaxedSimd(relaxed) ? 'relaxed-simd' : 'simd';
  return { isa, module: new wasm.Module(isa === 'simd' ? readFileSync(paths[1]) : relaxed) };
}

/** The number of threads: `FOVEA_THREADS` if set, else one per core. */
export function threadCount(): number {
  const setting = process.env.FOVEA_THREADS;
  if (setting === undefined || setting === '') return availableParallelism();
  return checkThreadCount(setting, 'FOVEA_THREADS');
}

/** Node as the wasm backend's host. */
export const host: WasmHost = {
  compile,
  compileAsync: async () => compile(),
  threadCount,
  startWorker(workerData) {
    const source = `const { module, memory, thread, threads, control, job, work } =
  require('node:worker_threads').workerData;${workerLoop}serve();`;
    // Unreferenced: an idle pool never keeps the process alive.
    new Worker(source, { eval: true, workerData }).unref();
    return Promise.resolve();
  },
  waitWhile(words, index, value) {
    Atomics.wait(words, index, value);
  },
};
