import type { TypedArray } from './dtype.js';

/**
 * The activation a conv may apply as it writes its output (Keras's `activation='relu'`, PyTorch's
 * intrinsic ConvReLU): one pass fewer over the output than a separate ReLU op.
 */
export type FusedActivation = 'relu' | 'relu6';

/**
 * The activation as the clamp [lo, hi] the kernels apply: max(v, lo) then min(·, hi), so NaN
 * stays NaN and −0 becomes +0 as in the relu op; no activation is (−∞, ∞), which changes nothing.
 */
export function clampBounds(activation: FusedActivation | undefined): [number, number] {
  if (activation === undefined) return [-Infinity, Infinity];
  return activation === 'relu' ? [0, Infinity] : [0, 6];
}

/** out[i] = min(max(out[i], lo), hi) for i in [from, to): the activation, on the reference kernels. */
export function clampRange(
  out: TypedArray,
  from: number,
  to: number,
  activation: FusedActivation,
): void {
  const [lo, hi] = clampBounds(activation);
  for (let i = from; i < to; i++) out[i] = Math.min(Math.max(out[i], lo), hi);
}
