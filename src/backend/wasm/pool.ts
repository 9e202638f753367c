/**
 * The thread pool: `threads − 1` worker threads plus the calling thread, each with its own
 * instance of the kernel module over one shared memory, running jobs together.
 *
 * A job is a few i32 words (the kind, then sizes and byte addresses) written to the job area.
 * The caller bumps a generation counter and wakes the workers (Atomics.notify); every thread,
 * the caller included, runs `run_job` for its own index, which works out its share from the
 * words alone; the caller then sleeps (Atomics.wait, allowed on Node's main thread) until the
 * others have counted themselves done. Kernels stay synchronous calls, as the interface wants.
 *
 * The memory above the module's own data is laid out as: control words, the job, one scratch
 * area per thread, then the operands of the current call (`heap`), reused by every call.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { align, reserve, wasmModule, type WasmModule } from './kernels.js';

/** Bytes of each thread's column buffer for convolutions (a slice of im2col at a time). */
const COLS_BYTES = 2 << 20;
/** Words of the job area; the last counts the items threads have claimed (assembly/job.ts). */
const JOB_WORDS = 64;
const CLAIMED = JOB_WORDS - 1;

// Control words: the job generation, how many workers have finished it, whether one failed.
const GENERATION = 0;
const DONE = 1;
const FAILED = 2;

/** Each worker: instantiate, then run every new generation's job and count itself done. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, thread, threads, control, job, work } = workerData;
const { exports } = new WebAssembly.Instance(module, { env: { memory } });
const words = new Int32Array(memory.buffer, control, 4);
let seen = 0;
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
`;

/** A started pool. */
export interface Pool {
  /** How many threads share each job (the caller's included). */
  readonly threads: number;
  /** Bytes of scratch each thread's kernels get (`COLS_BYTES` of it for conv columns). */
  readonly colsBytes: number;
  /** The module and its memory. */
  readonly wasm: WasmModule;
  /** First byte free for a call's operands. */
  readonly heap: number;
  /** Runs a job on every thread (or on the caller alone when `parallel` is false). */
  run(words: readonly number[], parallel?: boolean): void;
}

let started: Pool | undefined;

/** The number of threads: `FOVEA_THREADS` if set, else one per core. */
export function threadCount(): number {
  const setting = process.env.FOVEA_THREADS;
  if (setting === undefined || setting === '') return availableParallelism();
  const count = Number(setting);
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new Error(`fovea: FOVEA_THREADS must be an integer from 1 to 256, got '${setting}'`);
  }
  return count;
}

/** The pool, started on first use with `threadCount()` threads. */
export function pool(): Pool {
  if (started) return started;
  const wasm = wasmModule();
  const threads = threadCount();
  const control = align(wasm.exports.heap_base());
  const job = control + 64;
  const workBytes = align(wasm.exports.f32_gemm_workspace_bytes() + COLS_BYTES);
  const work = align(job + JOB_WORDS * 4);
  const heap = work + threads * workBytes;
  reserve(wasm.memory, heap);
  for (let thread = 1; thread < threads; thread++) {
    const workerData = {
      module: wasm.module,
      memory: wasm.memory,
      thread,
      threads,
      control,
      job,
      work: work + thread * workBytes,
    };
    // Unreferenced: an idle pool never keeps the process alive.
    new Worker(WORKER_SOURCE, { eval: true, workerData }).unref();
  }
  const words = new Int32Array(wasm.memory.buffer, control, 4);
  started = {
    threads,
    colsBytes: COLS_BYTES,
    wasm,
    heap,
    run(args, parallel = true) {
      const jobWords = new Int32Array(wasm.memory.buffer, job, JOB_WORDS);
      jobWords.set(args);
      jobWords[CLAIMED] = 0;
      if (!parallel || threads === 1) {
        wasm.exports.run_job(job, 0, 1, work);
        return;
      }
      Atomics.store(words, DONE, 0);
      Atomics.add(words, GENERATION, 1);
      Atomics.notify(words, GENERATION);
      wasm.exports.run_job(job, 0, threads, work);
      for (let done = Atomics.load(words, DONE); done < threads - 1;) {
        Atomics.wait(words, DONE, done);
        done = Atomics.load(words, DONE);
      }
      if (Atomics.exchange(words, FAILED, 0) !== 0) {
        throw new Error('fovea: a WebAssembly kernel failed in a worker thread');
      }
    },
  };
  return started;
}
