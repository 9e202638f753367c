/**
 * What the wasm backend needs from the JavaScript host it runs on, and nothing else: compiled
 * kernels, a thread count, worker threads, and a way for the caller to wait for them. Node's
 * answers are in host.ts (worker_threads, files, Atomics.wait); a browser's in host.browser.ts
 * (Web Workers, embedded bytes compiled asynchronously, a spinning caller), which the browser
 * build puts in place of host.ts (scripts/build-browser.ts).
 */

/** Which build of the kernels runs: relaxed SIMD's fused multiply-adds where the engine has them. */
export type Isa = 'simd' | 'relaxed-simd';

/** The compiled kernel module (a `WebAssembly.Module`) and its instruction set. */
export interface CompiledKernels {
  module: object;
  isa: Isa;
}

/** What each worker thread is handed: the module, the shared memory and its place in the pool. */
export interface WorkerData {
  module: object;
  memory: object;
  /** This worker's index (the caller is thread 0). */
  thread: number;
  threads: number;
  /** Byte addresses of the control words, the job, and this thread's scratch. */
  control: number;
  job: number;
  work: number;
}

/** One JavaScript host (Node, a browser) as the wasm backend sees it. */
export interface WasmHost {
  /** The kernels, compiled now; throws where this host compiles only asynchronously (`ready()`). */
  compile(): CompiledKernels;
  /** The kernels, compiled without blocking. */
  compileAsync(): Promise<CompiledKernels>;
  /** How many threads the pool starts by default. */
  threadCount(): number;
  /** Starts a worker thread running `workerLoop` over `data`; resolves once it is listening. */
  startWorker(data: WorkerData): Promise<void>;
  /** Returns once `words[index]` is no longer `value` (Node sleeps in Atomics.wait; browsers spin). */
  waitWhile(words: Int32Array, index: number, value: number): void;
}

// Control words: the job generation, how many workers have finished it, whether one failed.
export const GENERATION = 0;
export const DONE = 1;
export const FAILED = 2;

/**
 * A worker's body, as source for any host to wrap: given `module, memory, thread, threads,
 * control, job, work` in scope, it instantiates the module; the host then calls `serve()`, which
 * runs every new generation's job and counts itself done. Workers may always block in
 * Atomics.wait.
 */
export const workerLoop = `
const { exports } = new WebAssembly.Instance(module, { env: { memory } });
const words = new Int32Array(memory.buffer, control, 4);
let seen = 0;
const serve = () => {
  for (;;) {
    Atomics.wait(words, ${GENERATION}, seen);
    seen = Atomics.load(words, ${GENERATION});
    try {
      exports.run_job(job, thread, threads, work);
    } catch (e) {
      Atomics.store(words, ${FAILED}, 1);
    }
    Atomics.add(words, ${DONE}, 1);
    Atomics.notify(words, ${DONE});
  }
};
`;

/** `count` as a thread count (an integer from 1 to 256), or an error naming where it came from. */
export function checkThreadCount(value: number | string, source: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new Error(
      `fovea: ${source} must be an integer from 1 to 256, got ${JSON.stringify(value)}`,
    );
  }
  return count;
}
