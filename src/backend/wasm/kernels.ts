/**
 * Loads fovea's WebAssembly kernels (compiled from `assembly/` by `npm run build:wasm` into
 * `dist/wasm/fovea-kernels.wasm`) once, synchronously, into one shared memory that every thread
 * of the pool (pool.ts) instantiates the same module over.
 *
 * Node only for now: the module is read with `readFileSync`. A browser build would fetch the same
 * bytes (or embed them) and compile them asynchronously before the first kernel call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

/** The slice of the WebAssembly JS API used here (TypeScript's ES2022 lib does not declare it). */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** What the compiled module exports (assembly/index.ts). */
export interface KernelExports {
  heap_base(): number;
  f32_gemm_workspace_bytes(): number;
  /** Runs thread `thread`'s share (of `threads`) of the job at `job`, with scratch at `work`. */
  run_job(job: number, thread: number, threads: number, work: number): void;
}

/** The compiled module, its memory, and the main thread's instance. */
export interface WasmModule {
  /** 'relaxed-simd' when the build with fused multiply-adds runs here, else 'simd'. */
  isa: 'simd' | 'relaxed-simd';
  module: object;
  memory: WasmMemory;
  exports: KernelExports;
}

const PAGE = 65536;
/** The memory's limits in pages: 4 MiB to start, 4 GiB (all wasm32 can address) at most. */
const INITIAL_PAGES = 64;
const MAXIMUM_PAGES = 65536;

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let loaded: WasmModule | undefined;

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
  if (globalThis.process?.env?.FOVEA_RELAXED_SIMD === '0') return false;
  if (wasm.validate(bytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return wasm.validate(bytes);
}

/** Instantiates the module over `memory` (each pool thread calls this with the shared memory). */
export function instantiate(module: object, memory: WasmMemory): KernelExports {
  return new wasm.Instance(module, { env: { memory } }).exports as KernelExports;
}

/** The kernels, compiled and instantiated on first use. */
export function wasmModule(): WasmModule {
  if (loaded) return loaded;
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
  const module = new wasm.Module(isa === 'simd' ? readFileSync(paths[1]) : relaxed);
  const memory = new wasm.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  loaded = { isa, module, memory, exports: instantiate(module, memory) };
  return loaded;
}

/** Grows `memory` (never shrinks it) so that bytes [0, end) exist; returns its buffer. */
export function reserve(memory: WasmMemory, end: number): SharedArrayBuffer {
  const have = memory.buffer.byteLength;
  if (end > have) memory.grow(Math.ceil((end - have) / PAGE));
  return memory.buffer;
}

/** Rounds a byte address up to a multiple of 64 (a cache line). */
export function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
