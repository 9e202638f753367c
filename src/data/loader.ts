/**
 * DataLoader: batches of samples, shuffled by a seeded generator.
 *
 * It is synchronous, on the training thread, on purpose. fovea's datasets hold their images
 * decoded in memory (IDX and CIFAR as stored; image folders decoded and resized once, in parallel,
 * by `loadImageFolder`), so making a batch is a copy of its samples plus the per-sample
 * transforms. Measured on a 2-core machine, a batch of 128 Fashion-MNIST images takes 0.3 ms,
 * 2.6 ms with a per-sample uint8 → [0, 1] scaling through ops, against 2–3 s for the forward and
 * backward pass of a two-conv CNN on that batch with the reference backend (a backend 30× faster
 * would still leave the loader under 5%). A worker would cost a copy or shared-memory plumbing per
 * batch and a core taken from the kernels, for that.
 */
import type { TypedArray } from '../backend/dtype.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import type { Batch, Dataset, Sample, SampleTransform } from './dataset.js';

/** Options of `DataLoader`, with PyTorch's names and defaults. */
export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit the samples in a new random order each epoch (default false: in index order). */
  shuffle?: boolean;
  /** Leave out the last batch when it would be smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Draws the order and the random transforms (default: the default generator). */
  generator?: Generator;
  /** Applied to each sample after the dataset's own transform, e.g. augmentation for training only. */
  transform?: SampleTransform;
}

/**
 * Where a DataLoader stands in an epoch: that epoch's sample order and the index of the next
 * batch. A checkpoint stores it so a resumed run picks up at the very next batch.
 */
export interface LoaderPosition {
  order: Int32Array;
  nextBatch: number;
}

/**
 * Iterates over a dataset in batches, as `torch.utils.data.DataLoader`: each batch stacks its
 * samples' inputs into [B, ...] and their targets into [B, ...] (class ids [] become [B]).
 *
 * Each iteration is one epoch. Its order is drawn from `generator` when the iteration starts
 * (a `for...of`, or a call of `[Symbol.iterator]()`), then each sample's random transforms draw
 * from the same generator as its batch is made: seeding the generator repeats the whole run.
 *
 * @example
 * const loader = new DataLoader(trainSet, { batchSize: 64, shuffle: true, generator: new Generator(42) });
 * loader.length; // number of batches per epoch
 * for (const { input, target } of loader) console.log(input.shape, target.shape); // [64, 1, 28, 28] [64]
 */
export class DataLoader implements Iterable<Batch> {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;
  readonly transform?: SampleTransform;

  constructor(dataset: Dataset, options: DataLoaderOptions = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false } = options;
    check(
      Number.isInteger(batchSize) && batchSize > 0,
      'DataLoader',
      () => `batchSize must be a positive integer, got ${batchSize}`,
    );
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = options.generator ?? defaultGenerator;
    this.transform = options.transform;
  }

  /** Batches per epoch: ⌈N / batchSize⌉, or ⌊N / batchSize⌋ with `dropLast`. */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** The epoch in progress (or last run); null before the first epoch. */
  private current: LoaderPosition | null = null;
  /** Set by `resumeAt`: the next iteration continues this epoch. */
  private resumed = false;

  /**
   * Starts an epoch: draws its order now, then yields its batches; or, right after `resumeAt`,
   * goes on with the saved epoch from its next batch, drawing nothing.
   */
  [Symbol.iterator](): Iterator<Batch> {
    const pending = this.resumed && this.current!.nextBatch < this.length;
    this.resumed = false;
    if (!pending) this.current = { order: this.order(), nextBatch: 0 };
    return this.batches(this.current!);
  }

  /**
   * Where this loader stands: the current epoch's order and the next batch's index (equal to
   * `length` once the epoch is done, so the next iteration starts a new epoch). A copy.
   *
   * @example
   * const { order, nextBatch } = loader.position()!; // order.subarray(nextBatch * batchSize, ...) comes next
   */
  position(): LoaderPosition | null {
    return this.current && { order: this.current.order.slice(), nextBatch: this.current.nextBatch };
  }

  /**
   * Makes the next iteration continue the epoch saved by `position()` (with the generator
   * restored to its state at that moment, the batches and their augmentation repeat exactly).
   *
   * @example
   * loader.resumeAt(checkpointPosition); // for (const batch of loader) starts at its next batch
   */
  resumeAt(position: LoaderPosition): void {
    const { order, nextBatch } = position;
    check(
      order.length === this.dataset.length &&
        Number.isInteger(nextBatch) &&
        nextBatch >= 0 &&
        nextBatch <= this.length,
      'DataLoader',
      () =>
        `cannot resume at batch ${nextBatch} of an order of ${order.length} samples: the dataset ` +
        `has ${this.dataset.length} samples in ${this.length} batches`,
    );
    this.current = { order: order.slice(), nextBatch };
    this.resumed = true;
  }

  /** The sample indices of one epoch: 0..N-1, shuffled by a Fisher–Yates pass when asked. */
  private order(): Int32Array {
    const order = Int32Array.from({ length: this.dataset.length }, (_, i) => i);
    if (this.shuffle) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = this.generator.integer(0, i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    return order;
  }

  private *batches(epoch: LoaderPosition): Iterator<Batch> {
    const { order } = epoch;
    for (let b = epoch.nextBatch; b < this.length; b++) {
      epoch.nextBatch = b + 1;
      const indices = order.subarray(b * this.batchSize, (b + 1) * this.batchSize);
      const samples = Array.from(indices, (i) => this.sample(i));
      yield {
        input: stackSamples(samples, indices, 'input'),
        target: stackSamples(samples, indices, 'target'),
      };
    }
  }

  private sample(i: number): Sample {
    const sample = this.dataset.get(i, this.generator);
    return this.transform ? this.transform(sample, this.generator) : sample;
  }
}

/** Stacks one field of the samples along a new first dimension, in one copy. */
function stackSamples(samples: Sample[], indices: Int32Array, field: keyof Sample): Tensor {
  const first = samples[0][field];
  const out: TypedArray = getBackend().alloc(first.dtype, samples.length * first.size);
  samples.forEach((sample, k) => {
    const t = sample[field];
    check(
      t.dtype === first.dtype &&
        t.ndim === first.ndim &&
        t.shape.every((d, j) => d === first.shape[j]),
      'DataLoader',
      () =>
        `sample ${indices[k]} has ${field} ${fmt(t.shape)} ${t.dtype} but sample ${indices[0]} has ` +
        `${fmt(first.shape)} ${first.dtype}; a batch needs equal shapes and dtypes ` +
        `(resize or crop in a transform)`,
    );
    out.set(t.data, k * first.size);
  });
  return new Tensor(out, [samples.length, ...first.shape], first.dtype);
}
