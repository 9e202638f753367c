import { Conv1d, Conv2d, Conv3d } from '../../nn/layers/conv.js';
import { Linear } from '../../nn/layers/linear.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../../nn/layers/norm.js';
import { sameShape } from '../../tensor/shape.js';
import { layerList } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';

/**
 * A convolution or linear layer with a bias whose output goes straight into batch norm: the norm
 * subtracts the per-channel mean, bias included, so the bias never changes the output and its
 * parameters are wasted (and its gradient is zero).
 *
 * @example biasBeforeNormCheck(ctx) // flags Conv2d(1, 8, 3) followed by BatchNorm2d(8)
 */
export function biasBeforeNormCheck(ctx: DoctorContext): Finding[] {
  const rows = ctx.summary.layers;
  const wasted: string[] = [];
  let params = 0;
  rows.forEach((row, i) => {
    const m = ctx.modules.get(row.name);
    const next = rows[i + 1];
    const norm = next && ctx.modules.get(next.name);
    const affine =
      m instanceof Conv1d || m instanceof Conv2d || m instanceof Conv3d || m instanceof Linear;
    const batchNorm =
      norm instanceof BatchNorm1d || norm instanceof BatchNorm2d || norm instanceof BatchNorm3d;
    if (affine && m.bias && batchNorm && sameShape(row.outputShape, next.inputShape)) {
      wasted.push(row.name);
      params += m.bias.size;
    }
  });
  if (wasted.length === 0) return [];
  return [
    {
      id: 'bias-before-batchnorm',
      severity: 'info',
      message: `${layerList(wasted)} ${wasted.length === 1 ? 'has a bias and feeds' : 'have biases and feed'} batch norm, which subtracts the channel mean: the bias cancels out, ${params} parameters that do nothing.`,
      evidence: { layers: wasted.length, wastedParams: params },
      fix: "Create those layers with { bias: false }; the batch norm's own shift (beta) does the bias's job.",
    },
  ];
}
