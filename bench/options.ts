/** The command line of `npm run bench`. */
import { parseArgs } from 'node:util';

/** What to run and how often. */
export interface BenchOptions {
  /** Name fragments: a workload runs when its name contains one (all when empty). */
  only: string[];
  /** Peer names to run (all when empty); fovea always runs, as the ratios need it. */
  peers: string[];
  /** Timed runs per measurement. */
  runs: number;
  /** Warm-up runs per measurement. */
  warmup: number;
  /** Seconds one peer may spend on one workload (warm-up and timed runs). */
  capSeconds: number;
  /** Smaller workloads, fewer runs: a smoke test of the whole benchmark. */
  quick: boolean;
  /** fovea backend to select (`setBackend`); the current one when absent. */
  backend?: string;
  /** File to write the whole table to, as JSON. */
  json?: string;
}

/** `npm run bench -- --help`. */
export const USAGE = `npm run bench -- [options]
  --only NAMES      comma-separated name fragments of the workloads to run (default: all)
  --peers NAMES     comma-separated peers besides fovea: tfjs-cpu, tfjs-wasm, onnxruntime,
                    pytorch, chromium, firefox (fovea's browser build) (default: all)
  --runs N          timed runs per measurement (default 5; 3 with --quick)
  --warmup N        warm-up runs per measurement (default 2; 1 with --quick)
  --cap SECONDS     time one peer may spend on one workload (default 60; 10 with --quick)
  --quick           smaller workloads and fewer runs (no goals judged)
  --backend NAME    fovea backend (setBackend), e.g. reference or wasm (default: current)
  --json FILE       also write the whole table as JSON`;

const list = (value: string | undefined): string[] =>
  value ? value.split(',').filter(Boolean) : [];

/** The number an option gives, at least `min`, or `fallback` when the option is absent. */
function number(value: string | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new Error(`--${name} wants a number ≥ ${min}, got '${value}'`);
  return n;
}

/** Parses `argv` (without node and the script); throws with a message on a bad option. */
export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      peers: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      cap: { type: 'string' },
      quick: { type: 'boolean', default: false },
      backend: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  return {
    only: list(values.only),
    peers: list(values.peers),
    runs: Math.round(number(values.runs, quick ? 3 : 5, 'runs', 1)),
    warmup: Math.round(number(values.warmup, quick ? 1 : 2, 'warmup', 0)),
    capSeconds: number(values.cap, quick ? 10 : 60, 'cap', 0.001),
    quick,
    backend: values.backend,
    json: values.json,
  };
}
