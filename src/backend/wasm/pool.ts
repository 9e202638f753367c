/**
 * The thread pool: `threads − 1` worker threads plus the calling thread, each with its own
 * instance of the kernel module over one shared memory, running jobs together.
 *
 * A job is a few i32 words (the kind, then sizes and byte addresses) written to the job area.
 * The caller bumps a generation counter and wakes the workers (Atomics.notify); every thread,
 * the caller included, runs `run_job` for its own index, which works out its share from the
 * words alone; the caller then waits (host.waitWhile) until the others have counted themselves
 * done. Kernels stay synchronous calls, as the interface wants.
 *
 * The memory above the module's own data is laid out as: control words, the job, one scratch
 * area per thread, then the operands of the current call (`heap`), reused by every call.
 */
import { host } from './host.js';
import { checkThreadCount, DONE, FAILED, GENERATION, type CompiledKernels } from './host-api.js';
import { align, loadKernels, reserve, type WasmModule } from './kernels.js';

/** Bytes of each thread's column buffer for convolutions (a slice of im2col at a time). */
const COLS_BYTES = 2 << 20;
/** Words of the job area; the last counts the items threads have claimed (assembly/job.ts). */
const JOB_WORDS = 64;
const CLAIMED = JOB_WORDS - 1;

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
let starting: Promise<Pool> | undefined;

/** A pool of `threads` over `compiled`, and a promise that settles once every worker listens. */
function createPool(compiled: CompiledKernels, threads: number): [Pool, Promise<unknown>] {
  const wasm = loadKernels(compiled);
  const control = align(wasm.exports.heap_base());
  const job = control + 64;
  const workBytes = align(wasm.exports.f32_gemm_workspace_bytes() + COLS_BYTES);
  const work = align(job + JOB_WORDS * 4);
  const heap = work + threads * workBytes;
  reserve(wasm.memory, heap);
  const { module, memory } = wasm;
  const listening = [];
  for (let thread = 1; thread < threads; thread++) {
    const data = { module, memory, thread, threads, control, job, work: work + thread * workBytes };
    listening.push(host.startWorker(data));
  }
  const words = new Int32Array(wasm.memory.buffer, control, 4);
  const pool: Pool = {
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
        host.waitWhile(words, DONE, done);
        done = Atomics.load(words, DONE);
      }
      if (Atomics.exchange(words, FAILED, 0) !== 0) {
        throw new Error('fovea: a WebAssembly kernel failed in a worker thread');
      }
    },
  };
  return [pool, Promise.all(listening)];
}

/**
 * The pool, started on first use with `host.threadCount()` threads. Only a host that compiles
 * synchronously and whose workers start without the caller yielding (Node) can do that here;
 * elsewhere (browsers) `startPool` must have settled first, and this says so.
 */
export function pool(): Pool {
  if (started) return started;
  if (starting) {
    throw new Error(
      'fovea: the WebAssembly backend is still starting; `await ready()` before the first op',
    );
  }
  [started] = createPool(host.compile(), host.threadCount());
  return started;
}

/**
 * Starts the pool without blocking (compiling asynchronously, waiting for every worker to
 * listen), with `threads` threads or the host's default; the same promise on every call.
 */
export async function startPool(threads?: number): Promise<Pool> {
  if (threads !== undefined) checkThreadCount(threads, "ready()'s threads");
  starting ??= started
    ? Promise.resolve(started)
    : (async () => {
        const compiled = await host.compileAsync();
        const [created, listening] = createPool(compiled, threads ?? host.threadCount());
        await listening;
        return (started = created);
      })().catch((error: unknown) => {
        starting = undefined; // a failed start may be tried again, e.g. with fewer threads
        throw error;
      });
  const running = await starting;
  if (threads !== undefined && threads !== running.threads) {
    throw new Error(
      `fovea: the WebAssembly backend already runs ${running.threads} threads, not ${threads}`,
    );
  }
  return running;
}
