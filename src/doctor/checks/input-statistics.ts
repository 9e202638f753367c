import type { Tensor } from '../../tensor/tensor.js';
import type { DoctorContext, Finding } from '../finding.js';

/** Per-channel mean beyond this, or std outside [MIN_STD, MAX_STD], is not normalized. */
const MAX_ABS_MEAN = 1;
const MIN_STD = 0.1;
const MAX_STD = 3;

/** Statistics of the sampled inputs: overall min and max, and mean and std per channel. */
interface PixelStats {
  min: number;
  max: number;
  integers: boolean;
  mean: number[];
  std: number[];
}

/**
 * Inputs that are not what the model expects, from the pixel statistics of a data sample:
 *
 * - raw 0..255 pixels (integers, max above 2), where models expect [0, 1] or standardized values;
 * - for a saved model, inputs that still have the training set's raw statistics (mean ≈ the
 *   stored mean, std ≈ the stored std): the stored normalization was not applied;
 * - otherwise a channel whose mean is beyond ±1 or whose std is outside [0.1, 3].
 *
 * @example inputStatisticsCheck(ctx) // flags uint8 Fashion-MNIST images given as they are
 */
export function inputStatisticsCheck(ctx: DoctorContext): Finding[] {
  if (!ctx.batches) return [];
  const stats = pixelStats(
    ctx.batches.map((b) => b.input),
    ctx.dataFitsModel,
  );
  const evidence = {
    min: stats.min,
    max: stats.max,
    mean: average(stats.mean),
    std: average(stats.std),
  };
  const trained = ctx.normalization;
  if (stats.integers && stats.min >= 0 && stats.max > 2 && stats.max <= 255) {
    return [
      {
        id: 'inputs-0-255',
        severity: 'error',
        message: `The inputs are raw pixels in 0..${stats.max} (integers, mean ${evidence.mean.toFixed(1)})${trained ? `, but the model was trained on [0, 1] pixels normalized with mean ${list(trained.mean)} and std ${list(trained.std)}` : ', 255 times larger than the [0, 1] or standardized inputs CNNs are trained on'}: activations saturate and the predictions are meaningless.`,
        evidence,
        fix: trained
          ? `Divide by 255 and normalize as in training: compose([toFloat(), normalize({ mean: [${list(trained.mean)}], std: [${list(trained.std)}] })]).`
          : 'Scale to [0, 1] (toFloat()) and standardize per channel: normalize(computeMeanStd(trainSet)).',
      },
    ];
  }
  if (trained && stats.mean.length === trained.mean.length) {
    const raw = stats.mean.every(
      (m, c) =>
        Math.abs(m - trained.mean[c]) < 0.25 * trained.std[c] &&
        stats.std[c] / trained.std[c] > 0.5 &&
        stats.std[c] / trained.std[c] < 2,
    );
    if (raw) {
      return [
        {
          id: 'normalization-not-applied',
          severity: 'error',
          message: `The inputs have the raw statistics of the training set (mean ${list(stats.mean)}, std ${list(stats.std)}), but the model was trained on inputs normalized with mean ${list(trained.mean)} and std ${list(trained.std)}: the stored normalization was not applied.`,
          evidence,
          fix: `Apply the model's normalization: compose([toFloat(), normalize(config.normalization)]) (fovea eval and predict do this).`,
        },
      ];
    }
  }
  const off = stats.mean.some(
    (m, c) => Math.abs(m) > MAX_ABS_MEAN || stats.std[c] < MIN_STD || stats.std[c] > MAX_STD,
  );
  if (!off) return [];
  return [
    {
      id: 'inputs-not-normalized',
      severity: 'warning',
      message: `The inputs are far from mean 0 / std 1 (per channel: mean ${list(stats.mean)}, std ${list(stats.std)}): the first layers start in a badly scaled regime, training is slower and less stable.`,
      evidence,
      fix: 'Standardize per channel with the training set statistics: normalize(computeMeanStd(trainSet)), and save them with the model (saveModel({ normalization })).',
    },
  ];
}

/** Min, max and per-channel mean/std over `inputs` ([N, C, ...] when `channels`, else pooled). */
function pixelStats(inputs: Tensor[], channels: boolean): PixelStats {
  const c = channels ? inputs[0].shape[1] : 1;
  const sum = new Array<number>(c).fill(0);
  const squares = new Array<number>(c).fill(0);
  const counts = new Array<number>(c).fill(0);
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (const x of inputs) {
    const plane = channels ? x.size / (x.shape[0] * c) : x.size;
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i];
      const k = Math.floor(i / plane) % c;
      sum[k] += v;
      squares[k] += v * v;
      counts[k]++;
      min = Math.min(min, v);
      max = Math.max(max, v);
      integers &&= Number.isInteger(v);
    }
  }
  const mean = sum.map((s, k) => s / counts[k]);
  const std = squares.map((s, k) => Math.sqrt(Math.max(0, s / counts[k] - mean[k] ** 2)));
  return { min, max, integers, mean, std };
}

const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const list = (values: readonly number[]) => values.map((v) => v.toFixed(3)).join(', ');
