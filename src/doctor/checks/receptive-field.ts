import { perDim, size } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';

/**
 * The receptive field of the last spatial layer is smaller than the input (or than the objects,
 * when their size is given): no unit sees a whole object, so the classifier has to recognise it
 * from parts. Uses the receptive fields `summary()` computes.
 *
 * @example receptiveFieldCheck(ctx) // [{ id: 'receptive-field-too-small', ... }] for LeNet-5 at 28×28
 */
export function receptiveFieldCheck(ctx: DoctorContext): Finding[] {
  const { receptiveField: field, receptiveFieldLayer: layer } = ctx.summary;
  if (!field) return [];
  const spatial = ctx.inputShape.slice(1);
  const target = ctx.objectSize ?? spatial;
  if (field.size.every((r, i) => r >= target[i])) return [];
  const what = ctx.objectSize ? 'the objects' : 'the input';
  return [
    {
      id: 'receptive-field-too-small',
      severity: 'warning',
      message: `The receptive field of the last spatial layer '${layer}' is ${size(field.size)} pixels, smaller than ${what} (${size(target)}): no unit sees a whole ${ctx.objectSize ? 'object' : 'image'}, so larger patterns are recognised only from their parts.`,
      evidence: {
        ...perDim('field', field.size),
        ...perDim(ctx.objectSize ? 'object' : 'input', target),
      },
      fix: 'Add depth (more 3×3 convolutions), dilated convolutions, or downsample earlier (each stride-2 step doubles how fast the field grows).',
    },
  ];
}
