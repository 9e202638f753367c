import type { AdagradUpdate, AdamUpdate, RMSpropUpdate, SGDUpdate } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import * as reference from '../reference/optim.js';
import { f32Word, JOB } from './jobs.js';
import { Operands } from './operands.js';
import { pool } from './pool.js';

/** Below this many elements the reference loop is as quick as the copies (Adam: ~7 µs each). */
export const MIN_ELEMENTS = 1024;
/**
 * From this many elements on, the threads share the elements. Below it waking them costs more
 * than it saves; above, the copies in and out (on the caller) take most of the time anyway.
 */
const PARALLEL_ELEMENTS = 1 << 17;
/** Where the gradient is among a job's arrays: the one that is read, never written. */
const GRAD = 1;

/**
 * Runs one update job (assembly/optim.ts) on f32 data: `arrays` — the parameter, its gradient,
 * then the kind's buffers, null where absent — placed in wasm memory (operands.ts), all but the
 * gradient updated in place. The words are the kind, the count, maximize, the arrays' addresses (0 where
 * absent), `flags`, and `scalars` as f32. Returns false, for the reference kernel to run
 * instead, on other dtypes and small parameters.
 */
function run(
  kind: number,
  maximize: boolean,
  arrays: readonly (TypedArray | null)[],
  flags: readonly boolean[],
  scalars: readonly number[],
): boolean {
  const count = arrays[0]!.length;
  if (count < MIN_ELEMENTS || arrays.some((a) => a !== null && !(a instanceof Float32Array))) {
    return false;
  }
  const threads = pool();
  const room = new Operands(threads);
  // The gradient is read; the parameter and the state are updated in place.
  const at = arrays.map((a, k) =>
    a === null ? 0 : k === GRAD ? room.input(a) : room.output(a, 0, count, true),
  );
  threads.run(
    [kind, count, Number(maximize), ...at, ...flags.map(Number), ...scalars.map(f32Word)],
    count >= PARALLEL_ELEMENTS,
  );
  room.finish();
  return true;
}

/** The kernel interface's `adamUpdate` on f32, else reference. */
export function wasmAdamUpdate(args: AdamUpdate): void {
  const { beta1, beta2, eps, weightDecay, shrink, stepSize, bias2Sqrt } = args;
  const arrays = [args.param, args.grad, args.expAvg, args.expAvgSq, args.maxExpAvgSq];
  const scalars = [
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    eps,
    weightDecay,
    shrink,
    stepSize,
    bias2Sqrt,
  ];
  if (!run(JOB.adam, args.maximize, arrays, [], scalars)) reference.adamUpdate(args);
}

/** The kernel interface's `sgdUpdate` on f32, else reference. */
export function wasmSgdUpdate(args: SGDUpdate): void {
  const arrays = [args.param, args.grad, args.momentumBuffer];
  const flags = [args.nesterov, args.firstStep];
  const scalars = [args.lr, args.momentum, 1 - args.dampening, args.weightDecay];
  if (!run(JOB.sgd, args.maximize, arrays, flags, scalars)) reference.sgdUpdate(args);
}

/** The kernel interface's `rmspropUpdate` on f32, else reference. */
export function wasmRmspropUpdate(args: RMSpropUpdate): void {
  const arrays = [args.param, args.grad, args.squareAvg, args.gradAvg, args.momentumBuffer];
  const { alpha } = args;
  const scalars = [args.lr, alpha, 1 - alpha, args.eps, args.weightDecay, args.momentum];
  if (!run(JOB.rmsprop, args.maximize, arrays, [], scalars)) reference.rmspropUpdate(args);
}

/** The kernel interface's `adagradUpdate` on f32, else reference. */
export function wasmAdagradUpdate(args: AdagradUpdate): void {
  const arrays = [args.param, args.grad, args.sum];
  const scalars = [args.lr, args.eps, args.weightDecay];
  if (!run(JOB.adagrad, args.maximize, arrays, [], scalars)) reference.adagradUpdate(args);
}
