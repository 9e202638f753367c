import type { DType } from '../backend/dtype.js';
import { check, fmt } from '../tensor/errors.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { checkFloat, empty } from './util.js';
import { traced } from './trace.js';

/** Options of the dropout ops. */
export interface DropoutOptions {
  /** Probability that an element (or a whole channel) is dropped, in [0, 1] (default 0.5). */
  p?: number;
  /** Drop only while training; otherwise x is returned as is (default true, false for alpha dropout). */
  training?: boolean;
  /** Where masks are drawn from; the default generator (seeded by `manualSeed`) otherwise. */
  generator?: Generator;
}

/**
 * Inverted dropout, as `F.dropout`: while training, each element is zeroed with probability p and
 * the others are scaled by 1 / (1 − p), so the expected value is unchanged (p = 1 gives zeros).
 * Shape: x's shape.
 *
 * @example
 * manualSeed(7);
 * dropout(x, { p: 0.2 }); // the same mask after every manualSeed(7)
 */
export function dropout(x: Tensor, options: DropoutOptions = {}): Tensor {
  return invertedDropout(x, x.shape, options, 'dropout');
}

/**
 * Channel dropout for x [N, C, L] or [C, L], as `F.dropout1d`: while training, each channel is
 * zeroed as a whole with probability p, the others scaled by 1 / (1 − p). Shape: x's shape.
 */
export function dropout1d(x: Tensor, options: DropoutOptions = {}): Tensor {
  return invertedDropout(x, channelMaskShape(x, 'C, L', 'dropout1d'), options, 'dropout1d');
}

/**
 * Channel dropout for x [N, C, H, W] or [C, H, W], as `F.dropout2d`: while training, each channel
 * is zeroed as a whole with probability p, the others scaled by 1 / (1 − p). Shape: x's shape.
 */
export function dropout2d(x: Tensor, options: DropoutOptions = {}): Tensor {
  return invertedDropout(x, channelMaskShape(x, 'C, H, W', 'dropout2d'), options, 'dropout2d');
}

/**
 * Channel dropout for x [N, C, D, H, W] or [C, D, H, W], as `F.dropout3d`: while training, each
 * channel is zeroed as a whole with probability p, the others scaled by 1 / (1 − p).
 * Shape: x's shape.
 */
export function dropout3d(x: Tensor, options: DropoutOptions = {}): Tensor {
  return invertedDropout(x, channelMaskShape(x, 'C, D, H, W', 'dropout3d'), options, 'dropout3d');
}

/**
 * Alpha dropout for SELU networks, as `F.alpha_dropout` (training defaults to false, as there):
 * dropped elements are set to SELU's negative saturation −λα and the result is rescaled as
 * a·y + b so the mean and variance of unit-normal inputs are kept. Shape: x's shape.
 */
export function alphaDropout(x: Tensor, options: DropoutOptions = {}): Tensor {
  return selfNormalizingDropout(x, x.shape, options, 'alphaDropout');
}

/**
 * Alpha dropout of whole channels (dim 1) of x [N, C, ...], as `F.feature_alpha_dropout`
 * (training defaults to false, as there). Shape: x's shape.
 */
export function featureAlphaDropout(x: Tensor, options: DropoutOptions = {}): Tensor {
  check(
    x.ndim >= 2,
    'featureAlphaDropout',
    () => `expected input of at least 2 dimensions (N, C, ...), got shape ${fmt(x.shape)}`,
  );
  const maskShape = x.shape.map((d, i) => (i < 2 ? d : 1));
  return selfNormalizingDropout(x, maskShape, options, 'featureAlphaDropout');
}

/** SELU's negative saturation value λα: where alpha dropout sets dropped elements. */
const SELU_SATURATION = 1.7580993408473766;

function invertedDropout(x: Tensor, maskShape: Shape, options: DropoutOptions, op: string): Tensor {
  const p = dropProbability(x, options, true, op);
  if (p === 0) return x;
  // With p = 1 nothing is kept, so the infinite scale 1 / (1 − p) is never written.
  const mask = bernoulliMask(maskShape, 1 - p, 1 / (1 - p), x.dtype, options.generator);
  return traced(op, mul(x, mask), [x], { p });
}

function selfNormalizingDropout(
  x: Tensor,
  maskShape: Shape,
  options: DropoutOptions,
  op: string,
): Tensor {
  const p = dropProbability(x, options, false, op);
  if (p === 0) return x;
  if (p === 1) return traced(op, mul(x, 0), [x], { p });
  // Kept: a·x + b; dropped: a·(−λα) + b, with a and b restoring zero mean and unit variance.
  // Both are a·mask·(x + λα) − a·λα·(1 − p) for a mask of 1 (kept) or 0.
  const a = 1 / Math.sqrt((SELU_SATURATION * SELU_SATURATION * p + 1) * (1 - p));
  const scaledMask = bernoulliMask(maskShape, 1 - p, a, x.dtype, options.generator);
  const out = sub(mul(add(x, SELU_SATURATION), scaledMask), a * SELU_SATURATION * (1 - p));
  return traced(op, out, [x], { p });
}

/** The validated p, or 0 when nothing is dropped (not training). */
function dropProbability(
  x: Tensor,
  options: DropoutOptions,
  trainingByDefault: boolean,
  op: string,
): number {
  const { p = 0.5, training = trainingByDefault } = options;
  checkFloat(x, op);
  check(p >= 0 && p <= 1, op, () => `p must be a probability in [0, 1], got ${p}`);
  return training ? p : 0;
}

/** Draws of the generator per block of a mask: a block stays in cache while it is read. */
const block = new Uint32Array(4096);

/**
 * Draws a mask of `shape`: `kept` where an element is kept (probability `keep`), 0 elsewhere.
 * One 32-bit draw per entry (kept when its top 31 bits are below keep·2³¹), in order, so a
 * seeded generator gives the same mask every time.
 */
function bernoulliMask(
  shape: Shape,
  keep: number,
  kept: number,
  dtype: DType,
  generator: Generator = defaultGenerator,
): Tensor {
  const mask = empty(shape, dtype);
  if (keep === 0) return mask; // p = 1: all dropped (and `kept` is ∞), no draws needed
  const data = mask.data;
  // Kept when the draw's top 31 bits are below keep·2³¹: the sign of their difference, no branch.
  const threshold = keep * 2 ** 31;
  for (let start = 0; start < data.length; start += block.length) {
    const count = Math.min(block.length, data.length - start);
    generator.fillUint32(count === block.length ? block : block.subarray(0, count));
    for (let i = 0; i < count; i++)
      data[start + i] = kept * (((block[i] >>> 1) - threshold) >>> 31);
  }
  return mask;
}

/**
 * The mask shape of channel dropout: x's shape with the spatial dims set to 1. `layout` names the
 * dims of one sample ('C, H, W'); a batch dim N may come first.
 */
function channelMaskShape(x: Tensor, layout: string, op: string): number[] {
  const sampleDims = layout.split(', ').length;
  check(
    x.ndim === sampleDims || x.ndim === sampleDims + 1,
    op,
    () =>
      `expected input of ${sampleDims + 1} dimensions (N, ${layout}) or ${sampleDims} without the batch (${layout}), got shape ${fmt(x.shape)}`,
  );
  const channelAxis = x.ndim - sampleDims;
  return x.shape.map((d, i) => (i > channelAxis ? 1 : d));
}
