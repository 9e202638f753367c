import { isFloat } from '../../backend/dtype.js';
import { check, fmt } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import type { SampleTransform } from '../dataset.js';

/**
 * Pixels to float32, as torchvision's ToTensor: uint8 values in [0, 255] become [0, 1] (or stay
 * 0..255 with `scale: false`); int32 values are cast; float images pass through unchanged.
 *
 * @example
 * const transform = compose([toFloat(), normalize({ mean: [0.286], std: [0.353] })]);
 */
export function toFloat({ scale = true }: { scale?: boolean } = {}): SampleTransform {
  return (sample) => {
    const x = sample.input;
    if (isFloat(x.dtype)) return sample;
    const factor = scale && x.dtype === 'uint8' ? 1 / 255 : 1;
    const data = new Float32Array(x.size);
    for (let i = 0; i < data.length; i++) data[i] = x.data[i] * factor;
    return { ...sample, input: new Tensor(data, x.shape, 'float32') };
  };
}

/**
 * Per-channel standardization of a float image [C, ...], as torchvision's Normalize:
 * x[c] ↦ (x[c] − mean[c]) / std[c], with one mean and std per channel (or one for all).
 *
 * Use the training data's statistics (`computeMeanStd`) and store them with the model (the
 * `normalization` field of `saveModel`'s config): inference must apply exactly the same
 * normalization, or the model sees inputs unlike those it was trained on.
 *
 * @example
 * const stats = computeMeanStd(trainSet); // { mean: [0.286], std: [0.353] } for Fashion-MNIST
 * const transform = compose([toFloat(), normalize(stats)]);
 */
export function normalize({
  mean,
  std,
}: {
  mean: readonly number[];
  std: readonly number[];
}): SampleTransform {
  check(
    mean.length > 0 && std.length > 0 && std.every((s) => s > 0),
    'normalize',
    () =>
      `mean and std need an entry per channel (or one) and std > 0, got mean [${mean}], std [${std}]`,
  );
  return (sample) => {
    const x = sample.input;
    const channels = x.shape[0];
    check(
      x.ndim >= 1 && [mean, std].every((s) => s.length === 1 || s.length === channels),
      'normalize',
      () =>
        `image of shape ${fmt(x.shape)} has ${channels} channels but mean has ${mean.length} ` +
        `entries and std ${std.length}`,
    );
    check(
      isFloat(x.dtype),
      'normalize',
      () => `expected a float image, got ${x.dtype} (apply toFloat() first)`,
    );
    const plane = x.size / channels;
    const data = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
    for (let c = 0; c < channels; c++) {
      const m = mean[mean.length === 1 ? 0 : c];
      const s = std[std.length === 1 ? 0 : c];
      for (let i = c * plane; i < (c + 1) * plane; i++) data[i] = (x.data[i] - m) / s;
    }
    return { ...sample, input: new Tensor(data, x.shape, x.dtype) };
  };
}
