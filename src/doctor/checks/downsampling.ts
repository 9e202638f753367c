import { layerWindow } from '../../analysis/layer-rules.js';
import { layerList, perDim, size } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';

/** A dense task keeps at least this fraction of the input resolution at its bottleneck. */
const DENSE_MAX_DOWNSAMPLING = 16;
/** ...and at least this many pixels a side. */
const DENSE_MIN_SIDE = 4;

/**
 * Over-pooling: spatial resolution collapsed too early. For any task, convolutions or pools whose
 * window spans more than a 1-pixel-wide input (the map was already pooled away, so a 3×3 kernel
 * sees padding around one pixel). For segmentation and pose, which must answer per pixel, also
 * an output with no spatial dims, or a bottleneck more than 16× smaller than the input or under 4
 * pixels a side.
 *
 * @example downsamplingCheck({ ...ctx, task: 'segmentation' }) // flags a classifier's flat output
 */
export function downsamplingCheck(ctx: DoctorContext): Finding[] {
  const input = ctx.inputShape.slice(1);
  const rows = ctx.summary.layers.filter((r) => r.inputShape.length === ctx.inputShape.length + 1);
  const collapsed = rows.filter((r) => {
    const window = layerWindow(ctx.modules.get(r.name)!, input.length);
    return window?.kernel.some((k, i) => k > 1 && r.inputShape[2 + i] === 1);
  });
  const findings: Finding[] = [];
  if (collapsed.length > 0) {
    findings.push({
      id: 'spatial-collapsed',
      severity: 'warning',
      message: `${layerList(collapsed.map((r) => r.name))} slide a window over a map that is already 1 pixel wide (the ${size(input)} input was downsampled by ${size(downsampling(input, collapsed[0].inputShape))}): their kernels see mostly padding and cost parameters for nothing.`,
      evidence: {
        layers: collapsed.length,
        ...perDim('input', input),
        ...perDim('mapAtFirst', collapsed[0].inputShape.slice(2)),
      },
      fix: 'Remove pooling or stride-2 stages (or use a larger input): keep the last spatial layers at 3×3 or more.',
    });
  }
  if (ctx.task === 'classification') return findings;

  const output = ctx.summary.layers.at(-1)?.outputShape ?? [];
  if (output.length < ctx.inputShape.length + 1) {
    findings.push({
      id: 'no-spatial-output',
      severity: 'error',
      message: `The task is ${ctx.task}, which needs an answer per pixel, but the model's output ${JSON.stringify(output)} has no spatial dims (it ends like a classifier).`,
      evidence: { outputDims: output.length },
      fix: 'Use an encoder-decoder (unet in the zoo) or a fully convolutional head that keeps H×W (1×1 convolution to the classes, upsampled to the input size).',
    });
    return findings;
  }
  const smallest = rows.reduce(
    (best, r) => {
      const area = r.outputShape.slice(2).reduce((a, b) => a * b, 1);
      return area < best.area ? { area, row: r } : best;
    },
    { area: Infinity, row: rows[0] },
  );
  const bottleneck = smallest.row.outputShape.slice(2);
  const factor = downsampling(input, smallest.row.outputShape);
  if (
    factor.some((f) => f > DENSE_MAX_DOWNSAMPLING) ||
    bottleneck.some((n) => n < DENSE_MIN_SIDE)
  ) {
    findings.push({
      id: 'over-pooled',
      severity: 'warning',
      message: `For ${ctx.task}, the resolution collapses to ${size(bottleneck)} at '${smallest.row.name}' (${size(factor)}× below the input ${size(input)}): boundaries and keypoints must be rebuilt from ${size(factor)}-pixel cells.`,
      evidence: { ...perDim('bottleneck', bottleneck), ...perDim('downsampling', factor) },
      fix: `Use fewer pooling stages (at most ${DENSE_MAX_DOWNSAMPLING}× and ${DENSE_MIN_SIDE} pixels a side), dilated convolutions instead of the last strides, and skip connections from the high-resolution layers (as in U-Net).`,
    });
  }
  return findings;
}

/** How many times smaller than `input` the spatial dims of `shape` [N, C, ...] are. */
function downsampling(input: number[], shape: number[]): number[] {
  return input.map((n, i) => n / shape[2 + i]);
}
