import type { Tensor } from '../../tensor/tensor.js';
import { dimNames } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';

/** Neighbouring pixels correlating less than this, along every axis, is no spatial structure. */
const MIN_CORRELATION = 0.3;
/** Correlations need this many samples to mean anything. */
const MIN_SAMPLES = 16;

/**
 * Data with no spatial structure: features that were reshaped into an "image" (a table, a
 * shuffled vector) have neighbouring pixels that vary independently, and a convolution, whose
 * whole premise is that neighbours belong together, is the wrong tool. Measured as the
 * correlation between neighbouring pixels along each spatial axis, with every pixel position
 * standardized over the samples first (so fixed per-position offsets do not count); photographs
 * and drawings score above 0.5, independent features near 0.
 *
 * @example spatialStructureCheck(ctx) // flags a table of 784 independent features as [1, 28, 28]
 */
export function spatialStructureCheck(ctx: DoctorContext): Finding[] {
  if (!ctx.batches || !ctx.dataFitsModel) return [];
  const inputs = ctx.batches.map((b) => b.input);
  const samples = inputs.reduce((n, x) => n + x.shape[0], 0);
  const spatial = ctx.inputShape.slice(1);
  if (samples < MIN_SAMPLES || spatial.length === 0) return [];
  const correlations = spatial.map((_, axis) => neighbourCorrelation(inputs, spatial, axis));
  const best = Math.max(...correlations.filter((r) => !Number.isNaN(r)));
  if (!(best < MIN_CORRELATION)) return [];
  const names = dimNames(spatial.length);
  return [
    {
      id: 'no-spatial-structure',
      severity: 'warning',
      message: `Neighbouring pixels are nearly uncorrelated (${correlations.map((r, i) => `${names[i]} ${r.toFixed(2)}`).join(', ')}; images score above 0.5): the data has no spatial structure for convolutions to exploit, it looks like independent features laid out as an image.`,
      evidence: Object.fromEntries(correlations.map((r, i) => [`correlation${names[i]}`, r])),
      fix: 'Use a model for tabular data (an MLP of Linear layers, or gradient-boosted trees) on the flat features; keep CNNs for inputs where position matters.',
    },
  ];
}

/**
 * The mean correlation of each pixel with its next neighbour along spatial `axis`, every pixel
 * position standardized over the samples; positions that never vary are left out.
 */
function neighbourCorrelation(inputs: Tensor[], spatial: number[], axis: number): number {
  const plane = inputs[0].size / inputs[0].shape[0]; // C·∏spatial values per sample
  const n = inputs.reduce((k, x) => k + x.shape[0], 0);
  const mean = new Float64Array(plane);
  const square = new Float64Array(plane);
  for (const x of inputs) {
    for (let i = 0; i < x.size; i++) {
      mean[i % plane] += x.data[i];
      square[i % plane] += x.data[i] ** 2;
    }
  }
  const std = new Float64Array(plane);
  for (let p = 0; p < plane; p++) {
    mean[p] /= n;
    std[p] = Math.sqrt(Math.max(0, square[p] / n - mean[p] ** 2));
  }
  const step = spatial.slice(axis + 1).reduce((a, b) => a * b, 1);
  const extent = spatial[axis];
  let sum = 0;
  let pairs = 0;
  for (const x of inputs) {
    for (let i = 0; i < x.size; i++) {
      const p = i % plane;
      const q = p + step;
      if (Math.floor(p / step) % extent === extent - 1 || std[p] < 1e-6 || std[q] < 1e-6) continue;
      sum += ((x.data[i] - mean[p]) / std[p]) * ((x.data[i + step] - mean[q]) / std[q]);
      pairs++;
    }
  }
  return sum / pairs;
}
