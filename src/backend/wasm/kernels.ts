/**
 * Loads fovea's WebAssembly kernels (compiled from `assembly/` by `npm run build:wasm` into
 * `dist/wasm/fovea-kernels.wasm`) once, synchronously, and hands out room in their memory.
 *
 * Node only for now: the module is read with `readFileSync`. A browser build would fetch the same
 * bytes (or embed them) and compile them asynchronously before the first kernel call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The kernel variants of SGEMM, named as XNNPACK names them; tests and the benchmark run each. */
export const F32_GEMM_KERNELS = ['f32_gemm_4x8__wasmsimd'] as const;

/** One SGEMM variant. */
export type F32GemmKernel = (typeof F32_GEMM_KERNELS)[number];

/**
 * Arguments of every SGEMM variant, in order: batch, m, n, k, a, strideA, b, strideB, c, strideC,
 * flags, work — pointers are byte addresses in the module's memory, strides count elements, flags
 * are 1 transA | 2 transB | 4 accumulate, `work` points at `f32_gemm_workspace_bytes()` bytes.
 */
type GemmFunction = (
  batch: number,
  m: number,
  n: number,
  k: number,
  a: number,
  strideA: number,
  b: number,
  strideB: number,
  c: number,
  strideC: number,
  flags: number,
  work: number,
) => void;

/** The slice of the WebAssembly JS API used here (TypeScript's ES2022 lib does not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

/** What the compiled module exports. */
export type KernelExports = { [K in F32GemmKernel]: GemmFunction } & {
  memory: WasmMemory;
  heap_base(): number;
  f32_gemm_workspace_bytes(): number;
};

/** The loaded module: its exports, and where scratch and operands may go in its memory. */
export interface WasmKernels {
  exports: KernelExports;
  /** First free byte (64-byte aligned); memory below it belongs to the module. */
  base: number;
  /** Grows the memory (never shrinks it) so that bytes [0, end) exist; returns its buffer. */
  reserve(end: number): ArrayBuffer;
}

const PAGE = 65536;

let loaded: WasmKernels | undefined;

/** The file the build writes: `dist/wasm/fovea-kernels.wasm` under fovea's package root. */
export function wasmKernelsPath(): string {
  // The nearest folder above this module with a package.json: the same from src/ (tsx) and dist/.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'wasm', 'fovea-kernels.wasm');
}

/** The kernels, compiled and instantiated on first use. */
export function wasmKernels(): WasmKernels {
  if (loaded) return loaded;
  const path = wasmKernelsPath();
  if (!existsSync(path)) {
    throw new Error(
      `fovea: the WebAssembly kernels are not built (${path} is missing); ` +
        'run `npm run build:wasm` (npm ci and npm run build also do)',
    );
  }
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const module = new api.Module(readFileSync(path));
  const abort = (): never => {
    throw new Error('fovea: a WebAssembly kernel aborted');
  };
  const exports = new api.Instance(module, { env: { abort } }).exports as KernelExports;
  const memory = exports.memory;
  loaded = {
    exports,
    base: align(exports.heap_base()),
    reserve(end: number): ArrayBuffer {
      const have = memory.buffer.byteLength;
      if (end > have) memory.grow(Math.ceil((end - have) / PAGE));
      return memory.buffer;
    },
  };
  return loaded;
}

/** Rounds a byte address up to a multiple of 64 (a cache line). */
export function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
