/**
 * The timing loop every peer and workload goes through: warm-up runs, then timed runs, within a
 * time cap per measurement so that slow peers (TensorFlow.js's cpu backend) cannot stretch the
 * whole benchmark; median and spread of the timed runs.
 */
import { performance } from 'node:perf_hooks';

/**
 * One prepared workload on one peer. `run` does the work once; it may return the milliseconds it
 * measured itself (a peer in another process times its own runs, without the messaging), or
 * nothing, and is then timed here by the wall clock.
 */
export interface Runner {
  run(): Promise<number | void> | number | void;
  /** Frees what preparing allocated (tensors, sessions). */
  dispose?(): Promise<void> | void;
}

/** How many runs to make, and the cap on the time they may take together. */
export interface MeasureOptions {
  /** Warm-up runs, untimed (one only when the first takes over a tenth of the cap). */
  warmup: number;
  /** Timed runs wanted. */
  runs: number;
  /** Milliseconds that warm-up and timed runs may take together: no run starts past it. */
  capMs: number;
}

/** The timed runs of one measurement and their summary. */
export interface Measurement {
  /** Each timed run, in milliseconds, in order. */
  timesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** (max − min) / median of the timed runs. */
  spread: number;
  warmupRuns: number;
  /** True when the time cap stopped the runs before `runs` were made. */
  capped: boolean;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs once and returns its milliseconds: the runner's own figure, or the wall clock's. */
async function timeOnce(runner: Runner): Promise<number> {
  const start = performance.now();
  const reported = await runner.run();
  return typeof reported === 'number' ? reported : performance.now() - start;
}

/**
 * Warms up and times `runner`. At least one run is timed; more while the next run, expected to
 * take as long as the last, would end within the cap.
 */
export async function measure(runner: Runner, options: MeasureOptions): Promise<Measurement> {
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  let warmupRuns = 0;
  while (warmupRuns < options.warmup) {
    const ms = await timeOnce(runner);
    warmupRuns++;
    if (ms > options.capMs / 10) break;
  }
  const timesMs: number[] = [];
  do {
    timesMs.push(await timeOnce(runner));
  } while (
    timesMs.length < options.runs &&
    elapsed() + timesMs[timesMs.length - 1] <= options.capMs
  );
  const medianMs = median(timesMs);
  const minMs = Math.min(...timesMs);
  const maxMs = Math.max(...timesMs);
  return {
    timesMs,
    medianMs,
    minMs,
    maxMs,
    spread: (maxMs - minMs) / medianMs,
    warmupRuns,
    capped: timesMs.length < options.runs,
  };
}
