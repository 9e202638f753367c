import { check, fmt } from '../../tensor/errors.js';
import { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Dataset, SampleTransform } from '../dataset.js';

/**
 * uint8 pixels [0, 255] → float32 [0, 1] (torchvision's ToTensor); float images are only cast
 * unless `scale` is forced.
 */
export function toFloat({ scale }: { scale?: boolean } = {}): SampleTransform {
  return (sample) => {
    const divide = (scale ?? sample.input.dtype === 'uint8') ? 1 / 255 : 1;
    const data = Float32Array.from(sample.input.data, (v) => v * divide);
    return { ...sample, input: new Tensor(data, sample.input.shape, 'float32') };
  };
}

/** Per-channel statistics, plain JSON so they can be saved with a model. */
export interface MeanStd {
  mean: number[];
  std: number[];
}

/**
 * (x − mean[c]) / std[c] for each channel c of a [C, ...] image, as torchvision's Normalize. Use
 * the statistics of the training data (`computeMeanStd`) and save them with the model, so that
 * inference normalises exactly as training did.
 */
export function normalize({ mean, std }: MeanStd): SampleTransform {
  check(
    mean.length === std.length && std.every((s) => s > 0),
    'normalize',
    () =>
      `mean and std need one entry per channel and std > 0, got mean [${mean}] and std [${std}]`,
  );
  return (sample) => {
    const x = sample.input;
    check(
      x.shape[0] === mean.length,
      'normalize',
      () =>
        `image has ${x.shape[0]} channels (shape ${fmt(x.shape)}) but mean/std have ${mean.length}`,
    );
    const plane = x.size / x.shape[0];
    const data = Float32Array.from(x.data, (v, i) => {
      const c = Math.floor(i / plane);
      return (v - mean[c]) / std[c];
    });
    return { ...sample, input: new Tensor(data, x.shape, 'float32') };
  };
}

/**
 * Per-channel mean and standard deviation of a dataset's images (after `transform`, e.g.
 * `toFloat()`), over all pixels of the first `samples` images (default: all).
 *
 * @example const stats = computeMeanStd(train, { transform: toFloat() }); // { mean: [0.286], std: [0.353] }
 */
export function computeMeanStd(
  dataset: Dataset,
  { samples = dataset.length, transform }: { samples?: number; transform?: SampleTransform } = {},
): MeanStd {
  // A fixed generator: random transforms given here still give the same statistics every time.
  const generator = new Generator(0);
  let sums: number[] = [];
  let squares: number[] = [];
  let count = 0;
  for (let i = 0; i < Math.min(samples, dataset.length); i++) {
    let sample = dataset.get(i);
    if (transform) sample = transform(sample, generator);
    const x = sample.input;
    const channels = x.shape[0];
    const plane = x.size / channels;
    if (sums.length === 0)
      [sums, squares] = [new Array(channels).fill(0), new Array(channels).fill(0)];
    for (let k = 0; k < x.size; k++) {
      const c = Math.floor(k / plane);
      sums[c] += x.data[k];
      squares[c] += x.data[k] * x.data[k];
    }
    count += plane;
  }
  check(count > 0, 'computeMeanStd', () => 'the dataset has no samples');
  const mean = sums.map((s) => s / count);
  return { mean, std: squares.map((q, c) => Math.sqrt(Math.max(q / count - mean[c] ** 2, 1e-12))) };
}
