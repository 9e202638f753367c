/**
 * fovea's WebAssembly kernels (compiled from `assembly/` by `npm run build:wasm`), instantiated
 * into one shared memory that every thread of the pool (pool.ts) instantiates the same module
 * over. Where the compiled module comes from is the host's business (host-api.ts).
 */
import type { CompiledKernels, Isa } from './host-api.js';

/** The slice of the WebAssembly JS API used here (TypeScript's ES2022 lib does not declare it). */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
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
  isa: Isa;
  module: object;
  memory: WasmMemory;
  exports: KernelExports;
}

const PAGE = 65536;
/** The memory's limits in pages: 4 MiB to start, 4 GiB (all wasm32 can address) at most. */
const INITIAL_PAGES = 64;
const MAXIMUM_PAGES = 65536;

const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The compiled kernels instantiated on this thread over a new shared memory. */
export function loadKernels({ module, isa }: CompiledKernels): WasmModule {
  const memory = new wasm.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  const { exports } = new wasm.Instance(module, { env: { memory } });
  return { isa, module, memory, exports: exports as KernelExports };
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
