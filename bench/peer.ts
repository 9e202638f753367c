/** What a library under benchmark offers the harness: one function that runs any workload. */
import type { Runner } from './harness.js';
import type { Inputs } from './inputs.js';
import type { Workload } from './workload.js';

/** A task this peer does not do at all (ONNX Runtime does not train), with the reason. */
export interface NotApplicable {
  notApplicable: string;
}

/** A library (or one backend of it) that runs workloads. */
export interface Peer {
  /** Short name: the column's key and `--peers` name. */
  name: string;
  /** The column heading: library, version, backend and threads. */
  label: string;
  /**
   * Builds what `workload` needs (tensors, model, session) from `inputs` and returns its runner,
   * or says the peer does not do this kind of task. Throwing here or in the first run means the
   * peer cannot run it; the table shows the error.
   */
  prepare(workload: Workload, inputs: Inputs): Promise<Runner | NotApplicable>;
  /** Ends what the peer started (a subprocess). */
  close?(): Promise<void> | void;
}

/** Loads a peer's library; throws when it is missing, which the table reports. */
export type PeerLoader = () => Promise<Peer>;

/** Whether a peer declined the task rather than preparing it. */
export function isNotApplicable<T extends object>(
  prepared: T | NotApplicable,
): prepared is NotApplicable {
  return 'notApplicable' in prepared;
}
