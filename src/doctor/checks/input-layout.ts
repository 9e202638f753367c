import { fmt } from '../../tensor/errors.js';
import { sameShape } from '../../tensor/shape.js';
import type { DoctorContext, Finding } from '../finding.js';

/**
 * Data whose samples do not have the model's input shape: channels last ([H, W, C], as
 * TensorFlow, PIL and most image decoders produce them) given to an NCHW model, or any other
 * shape. The data checks that run the model are skipped for such data.
 *
 * @example inputLayoutCheck(ctx) // flags samples [28, 28, 1] for a model taking [1, 28, 28]
 */
export function inputLayoutCheck(ctx: DoctorContext): Finding[] {
  if (!ctx.batches || ctx.dataFitsModel) return [];
  const sample = ctx.batches[0].input.shape.slice(1);
  const expected = ctx.inputShape;
  const channelsLast = [...expected.slice(1), expected[0]];
  if (sameShape(sample, channelsLast)) {
    return [
      {
        id: 'layout-nhwc',
        severity: 'error',
        message: `The samples are ${fmt(sample)}, channels last (NHWC), but the model takes ${fmt(expected)}, channels first (NCHW): the model would read rows as channels.`,
        evidence: { channels: expected[0], sampleLastDim: sample[sample.length - 1] },
        fix: `Move the channel axis first: permute(x, [${[sample.length - 1, ...sample.slice(0, -1).map((_, i) => i)].join(', ')}]) per sample (loadImage and the dataset readers already give [C, H, W]).`,
      },
    ];
  }
  return [
    {
      id: 'input-shape-mismatch',
      severity: 'error',
      message: `The samples are ${fmt(sample)} but the model takes ${fmt(expected)}.`,
      evidence: { sampleDims: sample.length, modelDims: expected.length },
      fix: 'Resize or crop the images to the model input (randomResizedCrop, loadImage({ size })), or pass the right inputShape.',
    },
  ];
}
