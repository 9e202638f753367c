import type { Tensor } from '../tensor/tensor.js';

/** The attributes an op reports when traced: its options, resolved (numbers, lists, strings). */
export type TraceAttributes = Readonly<Record<string, unknown>>;

/**
 * One op call seen while tracing: the op's name, its tensor inputs in order (null for an optional
 * input not given), its output and its resolved options.
 */
export interface TracedOp {
  readonly name: string;
  readonly inputs: readonly (Tensor | null)[];
  readonly output: Tensor;
  readonly attributes: TraceAttributes;
}

/** Receives every op call while installed (see `withTracer`). */
export type Tracer = (op: TracedOp) => void;

let current: Tracer | null = null;

/**
 * Runs `fn` with `tracer` receiving every traced op call, and returns its result. Ops report
 * after computing, so an op built from other ops reports after them, with the same output when it
 * returns theirs: the last report of an output is the outermost op. Exporters (ONNX) install one.
 *
 * @example
 * const ops: TracedOp[] = [];
 * withTracer((op) => ops.push(op), () => relu(conv2d(x, w))); // ops: conv, relu
 */
export function withTracer<T>(tracer: Tracer, fn: () => T): T {
  const previous = current;
  current = tracer;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/**
 * Reports an op call to the installed tracer, if any, and returns `output`. Each op calls this
 * once on its result; with no tracer it costs one comparison.
 */
export function traced<T extends Tensor>(
  name: string,
  output: T,
  inputs: readonly (Tensor | null | undefined)[],
  attributes: TraceAttributes = {},
): T {
  if (current !== null) {
    current({ name, inputs: inputs.map((t) => t ?? null), output, attributes });
  }
  return output;
}
