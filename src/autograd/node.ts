import type { Tensor } from '../tensor/tensor.js';
import { checkOpOutput, isAnomalyDetectionEnabled } from './anomaly.js';
import { isGradEnabled } from './grad-mode.js';

/**
 * One recorded op in the graph: its inputs, and a rule that turns the gradient of its output
 * into gradients of its inputs (null where an input gets none).
 */
export interface Node {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (gradOutput: Tensor) => readonly (Tensor | null)[];
}

/**
 * Records `output` as made from `inputs` by the op `name`, when grad mode is on and some input
 * needs a gradient. `backward` returns one gradient per input, in order. Returns `output`. Under
 * anomaly detection (autograd/anomaly.ts) it first checks `output` for NaN and Infinity.
 */
export function record(
  name: string,
  output: Tensor,
  inputs: readonly Tensor[],
  backward: (gradOutput: Tensor) => readonly (Tensor | null)[],
): Tensor {
  if (isAnomalyDetectionEnabled()) checkOpOutput(name, output, inputs);
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    output.gradFn = { name, inputs, backward };
    output.requiresGrad = true;
  }
  return output;
}
