/**
 * Anomaly detection, as `torch.autograd.detect_anomaly`: while it is on, every op's output is
 * checked for NaN and ±Infinity as the op records it (forward, and inside backward rules), and
 * the first non-finite value stops the computation with a NonFiniteError naming the op, the
 * phase, and whether the op made the value or was handed it. Off (the default) it costs one
 * boolean test per op. `fit` turns it on for one re-run of a step whose loss or gradients went
 * non-finite, to name the op that did it (see docs/trust.md).
 */
import type { TypedArray } from '../backend/dtype.js';
import { FoveaError, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';

let enabled = false;
/** The node whose backward rule is running, while anomaly detection is on. */
let backwardOf: string | null = null;

/**
 * The error anomaly detection and fit's NaN guard throw: `op` is the op that produced the first
 * non-finite value ('optimizer' when a parameter update did).
 */
export class NonFiniteError extends FoveaError {
  /** The op whose output held the first NaN or Infinity. */
  readonly culprit: string;
  constructor(culprit: string, message: string) {
    super(culprit, message);
    this.name = 'NonFiniteError';
    this.culprit = culprit;
  }
}

/**
 * Turns anomaly detection on or off for everything that follows.
 *
 * @example
 * detectAnomaly(true);
 * log(tensor([-1])); // throws NonFiniteError: log: output [1] holds NaN at index 0, made from finite inputs
 */
export function detectAnomaly(on: boolean): void {
  enabled = on;
}

/** Whether anomaly detection is on. */
export function isAnomalyDetectionEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` with anomaly detection on, restoring the previous setting after.
 *
 * @example
 * withAnomalyDetection(() => lossFn(model.forward(x), y).backward());
 */
export function withAnomalyDetection<T>(fn: () => T): T {
  const previous = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Runs the backward rule of `name` so that anomalies inside it say whose rule it was. */
export function inBackwardOf<T>(name: string, rule: () => T): T {
  const previous = backwardOf;
  backwardOf = name;
  try {
    return rule();
  } finally {
    backwardOf = previous;
  }
}

/** The index of the first NaN or ±Infinity in `data`, or -1. */
export function firstNonFinite(data: TypedArray): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/**
 * Called by `record` for every op while detection is on: throws a NonFiniteError when `output`
 * holds a non-finite value, saying whether some input already held one.
 */
export function checkOpOutput(name: string, output: Tensor, inputs: readonly Tensor[]): void {
  const at = firstNonFinite(output.data);
  if (at < 0) return;
  const where = backwardOf === null ? 'forward' : `the backward of ${backwardOf}`;
  const bad = inputs.findIndex((t) => firstNonFinite(t.data) >= 0);
  const origin =
    bad < 0
      ? 'made from finite inputs, so this op produced it'
      : `but its input ${bad} ${fmt(inputs[bad].shape)} already holds ${describe(inputs[bad].data)}` +
        (inputs[bad].gradFn === null
          ? ' and was made by no recorded op (it comes from the data or from a parameter)'
          : ` (made by ${inputs[bad].gradFn!.name})`);
  throw new NonFiniteError(
    name,
    `output ${fmt(output.shape)} holds ${output.data[at]} at index ${at} (in ${where}), ${origin}`,
  );
}

function describe(data: TypedArray): string {
  const at = firstNonFinite(data);
  return `${data[at]} at index ${at}`;
}
