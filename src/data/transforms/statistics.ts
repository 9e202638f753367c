import { check, fmt } from '../../tensor/errors.js';
import { Generator } from '../../tensor/random.js';
import type { Dataset, SampleTransform } from '../dataset.js';
import { toFloat } from './scale.js';

/**
 * Per-channel statistics of images: plain JSON, so they can be saved with a model's config.
 *
 * @example
 * const stats: MeanStd = { mean: [0.286], std: [0.353] };
 */
export interface MeanStd {
  mean: number[];
  std: number[];
}

/**
 * Options of computeMeanStd.
 *
 * @example
 * computeMeanStd(train, { samples: 5000 });
 */
export interface MeanStdOptions {
  /** How many images to read, spread evenly over the dataset (default: all of them). */
  samples?: number;
  /** Applied to each sample first (default toFloat(): uint8 pixels are measured in [0, 1]). */
  transform?: SampleTransform;
}

/**
 * The per-channel mean and (population) standard deviation of a dataset's images, over every
 * pixel of `samples` images taken at evenly spaced indices, so that a dataset sorted by class is
 * measured across its classes. The images are read through `toFloat()` unless another transform is
 * given, and never through the default generator (a fixed one serves any random transform).
 *
 * Pass the result to `normalize` and store it with the model: inference must apply the same
 * normalization as training.
 *
 * @example
 * const stats = computeMeanStd(fashionMnistSample('train'), { samples: 5000 }); // { mean: [0.28…], std: [0.35…] }
 * const transform = compose([toFloat(), normalize(stats)]);
 * saveModel(dir, model, { architecture, normalization: stats });
 */
export function computeMeanStd(dataset: Dataset, options: MeanStdOptions = {}): MeanStd {
  const op = 'computeMeanStd';
  check(dataset.length > 0, op, () => 'the dataset has no samples');
  const { samples = dataset.length, transform = toFloat() } = options;
  check(
    Number.isInteger(samples) && samples > 0,
    op,
    () => `samples must be a positive integer, got ${samples}`,
  );
  const n = Math.min(samples, dataset.length);
  const generator = new Generator(0);
  // Per channel: pixel count, mean and sum of squared deviations, merged image by image (Chan et
  // al.), which stays accurate over millions of pixels where Σx² − (Σx)²/n would not.
  let count = 0;
  let mean: number[] = [];
  let m2: number[] = [];
  for (let k = 0; k < n; k++) {
    const x = transform(
      dataset.get(Math.floor((k * dataset.length) / n), generator),
      generator,
    ).input;
    const channels = x.shape[0];
    if (k === 0) [mean, m2] = [new Array(channels).fill(0), new Array(channels).fill(0)];
    check(
      x.ndim >= 2 && channels === mean.length,
      op,
      () => `expected images [C, H, W] with ${mean.length} channels, got shape ${fmt(x.shape)}`,
    );
    const plane = x.size / channels;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let i = c * plane; i < (c + 1) * plane; i++) sum += x.data[i];
      const imageMean = sum / plane;
      let imageM2 = 0;
      for (let i = c * plane; i < (c + 1) * plane; i++) imageM2 += (x.data[i] - imageMean) ** 2;
      const delta = imageMean - mean[c];
      const total = count + plane;
      mean[c] += (delta * plane) / total;
      m2[c] += imageM2 + (delta * delta * count * plane) / total;
    }
    count += plane;
  }
  return { mean, std: m2.map((s) => Math.sqrt(s / count)) };
}
