import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../../nn/layers/conv.js';
import { perDim, size } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';

/**
 * A transposed convolution whose kernel is not a multiple of its stride: output pixels receive
 * unequal numbers of kernel taps, which draws a checkerboard pattern (Odena et al., Distill 2016).
 *
 * @example checkerboardCheck(ctx) // flags ConvTranspose2d(8, 8, 3, { stride: 2 })
 */
export function checkerboardCheck(ctx: DoctorContext): Finding[] {
  const findings: Finding[] = [];
  for (const [name, m] of ctx.modules) {
    const transposed =
      m instanceof ConvTranspose1d || m instanceof ConvTranspose2d || m instanceof ConvTranspose3d;
    if (!transposed || m.kernelSize.every((k, i) => k % m.stride[i] === 0)) continue;
    findings.push({
      id: 'checkerboard-artefacts',
      severity: 'warning',
      message: `'${name}' (${m.constructor.name}) has kernel ${size(m.kernelSize)} with stride ${size(m.stride)}: the kernel is not divisible by the stride, so neighbouring output pixels get different numbers of taps and the output shows a checkerboard pattern.`,
      evidence: { ...perDim('kernel', m.kernelSize), ...perDim('stride', m.stride) },
      fix: `Use a kernel that is a multiple of the stride (e.g. ${m.stride[0] * 2} with stride ${m.stride[0]}), or upsample (Upsample, nearest) followed by a stride-1 convolution.`,
    });
  }
  return findings;
}
