import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import * as F from '../ops/index.js';

/** A fixture's attrs after snake_case keys became camelCase (`count_include_pad` → `countIncludePad`). */
export type Attrs = Record<string, unknown>;

/** The tensors and attributes of one fixture case, bound for an adapter. */
export interface FixtureArgs {
  /** The first input the case lists: the op's main argument, whatever the case names it. */
  input: Tensor;
  /** The input named `name` (PyTorch's argument name, e.g. 'weight'); throws if absent. */
  get(name: string): Tensor;
  /** The input named `name`, or undefined. */
  opt(name: string): Tensor | undefined;
  /** The case's attrs with camelCase keys. */
  attrs: Attrs;
}

/** Calls the fovea op that matches a torch.nn.functional op, for one fixture case. */
export type Adapter = (args: FixtureArgs) => Tensor;

/**
 * torch.nn.functional op name → the fovea call that computes it. Where fovea's options are the
 * camelCase of PyTorch's keyword arguments, the attrs pass straight through.
 */
export const torchOps: Record<string, Adapter> = {
  // --- core ---
  pad: ({ input, attrs }) => F.pad(input, attrs.pad as number[], attrs as F.PadOptions),
  // --- conv family (conv, conv transpose, unfold/fold, linear) ---
  // --- pooling family ---
  // --- normalization and dropout family ---
  // --- activations and losses family ---
  // --- resampling family (interpolate, pixel shuffle) ---
};

/** The adapter for a torch op name, or a clear error naming the ops fovea knows. */
export function adapterFor(op: string, source: string): Adapter {
  const adapter = torchOps[op];
  if (!adapter) {
    throw new FoveaError(
      'fixtures',
      `${source}: op '${op}' is not supported (known: ${Object.keys(torchOps).sort().join(', ')})`,
    );
  }
  return adapter;
}
