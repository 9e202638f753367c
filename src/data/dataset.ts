import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

/** One example: an input (e.g. an image [C, H, W]) and its target (a class index, a mask...). */
export interface Sample {
  input: Tensor;
  target: Tensor;
}

/** A batch: inputs stacked along a new first dim, targets likewise. */
export interface Batch {
  input: Tensor;
  target: Tensor;
}

/**
 * A per-sample transform (augmentation, scaling, normalization): a sample in, a new sample out.
 * Random transforms draw only from `generator`, so a seeded loader repeats them. A transform must
 * not write into the tensors it is given: datasets hand out views of their storage.
 *
 * @example
 * // uint8 pixels → float32 in [0, 1]; cast and div return new tensors, as every op does
 * const toUnit: SampleTransform = (s) => ({ ...s, input: div(cast(s.input, 'float32'), 255) });
 */
export type SampleTransform = (sample: Sample, generator: Generator) => Sample;

/**
 * A random-access collection of samples, as `torch.utils.data.Dataset`. `get(i, generator)`
 * may draw from the generator (random augmentation), so a seeded loader makes runs repeatable.
 */
export interface Dataset {
  /** Number of samples. */
  readonly length: number;
  /** Sample i (0 ≤ i < length); random transforms draw from `generator` (default: the default one). */
  get(i: number, generator?: Generator): Sample;
  /** Class names, when the dataset knows them (index = class id). */
  readonly classes?: readonly string[];
}
