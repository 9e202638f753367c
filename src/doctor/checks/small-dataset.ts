import { Conv1d, Conv2d, Conv3d } from '../../nn/layers/conv.js';
import type { DoctorContext, Finding } from '../finding.js';

/** Fewer samples than this is a small dataset for a CNN trained from scratch. */
const SMALL_DATASET = 5000;
/** More trainable parameters per sample than this overfits without pretraining. */
const PARAMS_PER_SAMPLE = 100;

/**
 * A deep CNN trained from random initialisation on very few samples: it memorises them. Flagged
 * when the weights are not pretrained, the data has fewer than 5,000 samples, and there are more
 * than 100 trainable parameters per sample.
 *
 * @example smallDatasetCheck(ctx) // fashion_cnn (422 k parameters) on 250 images
 */
export function smallDatasetCheck(ctx: DoctorContext): Finding[] {
  const samples = ctx.datasetSize;
  if (samples === undefined || ctx.pretrained || samples >= SMALL_DATASET) return [];
  const convs = [...ctx.modules.values()].filter(
    (m) => m instanceof Conv1d || m instanceof Conv2d || m instanceof Conv3d,
  ).length;
  const params = ctx.summary.totals.trainable;
  if (convs < 2 || params / samples <= PARAMS_PER_SAMPLE) return [];
  return [
    {
      id: 'small-dataset',
      severity: 'warning',
      message: `${params.toLocaleString('en-US')} trainable parameters in ${convs} convolutions, from random initialisation, for ${samples} samples (${Math.round(params / samples)} per sample): the model will memorise the training set.`,
      evidence: {
        samples,
        trainableParams: params,
        paramsPerSample: params / samples,
        convLayers: convs,
      },
      fix: 'Start from a pretrained backbone (loadPretrained, replaceHead, freezeBackbone; docs/transfer-learning.md), use augmentation (random crops, flips, randomAffine), and a smaller model (widthMult).',
    },
  ];
}
