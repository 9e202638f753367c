import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../../nn/layers/norm.js';
import { layerList } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';

/**
 * Batch norm layers whose running statistics were never updated (no batch counted, mean still 0,
 * variance still 1) in a model that is used for inference: in eval mode batch norm normalises
 * with those statistics, i.e. does not normalise at all, and a model trained with batch
 * statistics falls apart. Flagged when the model is in eval mode, was loaded as pretrained, or
 * its batch-norm scales and shifts have moved away from 1 and 0 (it was trained, in eval mode).
 *
 * @example batchNormStatsCheck(ctx) // flags a trained model whose norms were always in eval mode
 */
export function batchNormStatsCheck(ctx: DoctorContext): Finding[] {
  const stale: string[] = [];
  let trained = false;
  for (const [name, m] of ctx.modules) {
    if (!(m instanceof BatchNorm1d || m instanceof BatchNorm2d || m instanceof BatchNorm3d))
      continue;
    const { running_mean: mean, running_var: variance, num_batches_tracked: count } = m;
    if (!mean || !variance || !count) continue;
    const atInit =
      count.data[0] === 0 && mean.data.every((v) => v === 0) && variance.data.every((v) => v === 1);
    if (!atInit) continue;
    stale.push(name);
    trained ||= !!m.weight?.data.some((v) => v !== 1) || !!m.bias?.data.some((v) => v !== 0);
  }
  if (stale.length === 0 || !(trained || ctx.pretrained || !ctx.model.training)) return [];
  return [
    {
      id: 'batchnorm-stats-never-updated',
      severity: 'error',
      message: `${layerList(stale)}: batch norm running statistics were never updated (0 batches tracked, mean 0, variance 1)${trained ? ' although their scales and shifts were trained' : ''}; in eval mode these layers do not normalise, so predictions differ from what training saw.`,
      evidence: { layers: stale.length, batchesTracked: 0 },
      fix: 'Train in training mode (model.train(); fit does this), or re-estimate the statistics: run a few hundred training images through the model in train mode under noGrad, then call model.eval().',
    },
  ];
}
