/** The benchmark's results: what the table prints and `--json` writes. */
import type { Measurement } from './harness.js';
import type { Unit } from './workload.js';

/** One peer on one workload: a measured speed, or why there is none. */
export type Cell =
  | {
      status: 'ok';
      /** Median speed, in the workload's unit. */
      rate: number;
      /** fovea's median speed ÷ this one (absent in fovea's own cell or when fovea has none). */
      foveaRatio?: number;
      measurement: Measurement;
    }
  /** n/a: the peer does not do this kind of task; cannot: it failed (the error is the reason). */
  | { status: 'n/a' | 'cannot'; reason: string };

/** One workload across the peers. */
export interface Row {
  workload: string;
  title: string;
  unit: Unit;
  /** Work in one run: flops or images. */
  work: number;
  /** The goal for fovea, in `unit` (absent with --quick). */
  goal?: number;
  /** Whether fovea's median reaches the goal (absent without a goal or a fovea figure). */
  meetsGoal?: boolean;
  /** By peer name. */
  cells: Record<string, Cell>;
}

/** A peer's column: its heading, or why it could not be loaded. */
export interface PeerColumn {
  name: string;
  label?: string;
  unavailable?: string;
}

/** A whole run of the benchmark. */
export interface BenchReport {
  /** When the run started, ISO 8601. */
  date: string;
  node: string;
  cpu: string;
  cores: number;
  /** One-minute load average at the start and at the end: the machine may be shared. */
  loadAverage: [number, number];
  /** fovea's backend. */
  backend: string;
  quick: boolean;
  runs: number;
  warmup: number;
  capSeconds: number;
  peers: PeerColumn[];
  rows: Row[];
}
