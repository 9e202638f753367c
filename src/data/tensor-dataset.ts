import { check, fmt } from '../tensor/errors.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { Dataset, Sample, SampleTransform } from './dataset.js';
import { checkLabels } from './labels.js';

/** Options of `TensorDataset`. */
export interface TensorDatasetOptions {
  /** Applied to each sample in `get` (scaling, normalization, augmentation). */
  transform?: SampleTransform;
  /** Class names (index = class id); integer 1-D targets are then checked to be class ids. */
  classes?: readonly string[];
}

/**
 * A dataset over two tensors whose first dimension indexes the samples, as
 * `torch.utils.data.TensorDataset`: sample i is `inputs[i]` and `targets[i]`, passed through
 * `transform` when one is given. Every loader of fovea (IDX, CIFAR, image folders, .npy) returns
 * one, holding its images as uint8 [N, C, H, W] and its labels as int32 [N].
 *
 * Samples are views of the two tensors' storage (no copy): transforms return new tensors, as ops
 * do, and must not write into the ones they receive.
 *
 * @example
 * const data = new TensorDataset(randn([100, 1, 28, 28]), randint(0, 10, [100]));
 * const { input, target } = data.get(0); // input [1, 28, 28], target [] (int32)
 */
export class TensorDataset implements Dataset {
  /** All inputs, [N, ...]. */
  readonly inputs: Tensor;
  /** All targets, [N, ...]. */
  readonly targets: Tensor;
  readonly classes?: readonly string[];
  /** The per-sample transform applied by `get`, if any. */
  readonly transform?: SampleTransform;

  constructor(inputs: Tensor, targets: Tensor, options: TensorDatasetOptions = {}) {
    check(
      inputs.ndim >= 1 && targets.ndim >= 1 && inputs.shape[0] === targets.shape[0],
      'TensorDataset',
      () =>
        `inputs ${fmt(inputs.shape)} and targets ${fmt(targets.shape)} must have the same ` +
        `first dimension (the number of samples)`,
    );
    const { classes, transform } = options;
    const labels = targets.ndim === 1 && (targets.dtype === 'int32' || targets.dtype === 'uint8');
    if (classes !== undefined && labels) {
      checkLabels(targets.data, classes.length, 'TensorDataset', (i) => `targets[${i}]`);
    }
    this.inputs = inputs;
    this.targets = targets;
    this.classes = classes;
    this.transform = transform;
  }

  get length(): number {
    return this.inputs.shape[0];
  }

  /** Sample i, transformed with draws from `generator` (default: the default generator). */
  get(i: number, generator: Generator = defaultGenerator): Sample {
    check(
      Number.isInteger(i) && i >= 0 && i < this.length,
      'TensorDataset',
      () => `index ${i} is out of range for a dataset of ${this.length} samples`,
    );
    const sample = { input: row(this.inputs, i), target: row(this.targets, i) };
    return this.transform ? this.transform(sample, generator) : sample;
  }
}

/** `t[i]` as a tensor sharing `t`'s storage. */
function row(t: Tensor, i: number): Tensor {
  const shape = t.shape.slice(1);
  const size = t.size / t.shape[0];
  return new Tensor(t.data.subarray(i * size, (i + 1) * size), shape, t.dtype);
}
