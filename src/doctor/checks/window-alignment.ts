import { layerWindow } from '../../analysis/layer-rules.js';
import { perDim, size } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';

/**
 * Strided convolutions and pooling on sizes their stride does not divide. Per dim, with input n,
 * output o, window extent e = (k − 1)·d + 1, stride s and padding p before, the windows reach
 * padding a = (o − 1)·s + e − n − p after the input. Two things go wrong:
 *
 * - a < 0 while windows tile the input (e ≥ s): the last −a rows/columns are never read, silently
 *   (a 2×2 max pool on 7×7 drops the 7th row and column);
 * - a ≠ p on a size the stride does not divide: padding is lopsided, so the output grid is
 *   shifted by (p − a)/2 input pixels against the input ('same'-style padding with stride 2 on
 *   odd sizes, e.g. k 4, s 2, p 1 on 7): features drift from the pixels they describe, and skip
 *   connections or upsampled masks no longer line up.
 *
 * @example windowAlignmentCheck(ctx) // flags MaxPool2d(2) applied to a 7×7 map
 */
export function windowAlignmentCheck(ctx: DoctorContext): Finding[] {
  const findings: Finding[] = [];
  for (const row of ctx.summary.layers) {
    const inSize = row.inputShape.slice(2);
    const outSize = row.outputShape.slice(2);
    const window = layerWindow(ctx.modules.get(row.name)!, inSize.length);
    if (!window || window.stride.every((s) => s === 1) || outSize.length !== inSize.length)
      continue;
    const extent = window.kernel.map((k, i) => (k - 1) * window.dilation[i] + 1);
    const after = outSize.map(
      (o, i) => (o - 1) * window.stride[i] + extent[i] - inSize[i] - window.padding[i],
    );
    const dropped = after.map((a, i) => (a < 0 && extent[i] >= window.stride[i] ? -a : 0));
    const where = `'${row.name}' (${row.type}, kernel ${size(window.kernel)}, stride ${size(window.stride)}, padding ${size(window.padding)}) on ${size(inSize)}`;
    if (dropped.some((d) => d > 0)) {
      findings.push({
        id: 'drops-border',
        severity: 'warning',
        message: `${where} never reads ${droppedText(dropped)} of its input: they are dropped silently.`,
        evidence: { ...perDim('input', inSize), ...perDim('dropped', dropped) },
        fix: `Make the input size a multiple of the stride there (resize or pad the input, or change earlier layers), pad the layer${row.type.includes('Pool') ? ' or set ceilMode: true' : ''}.`,
      });
      continue;
    }
    const shift = after.map((a, i) =>
      inSize[i] % window.stride[i] !== 0 ? (window.padding[i] - a) / 2 : 0,
    );
    if (shift.some((s) => s !== 0)) {
      findings.push({
        id: 'off-centre-grid',
        severity: 'warning',
        message: `${where} pads ${size(window.padding)} before but ${size(after)} after: the output grid is shifted by ${size(shift)} input pixels, so features drift from the pixels they describe and upsampled outputs or skip connections no longer line up.`,
        evidence: { ...perDim('input', inSize), ...perDim('shift', shift) },
        fix: 'Use input sizes divisible by the total stride (e.g. 32 or 224 rather than 28 → 7 → odd), or pad explicitly and symmetrically so that (n + 2p − k) is a multiple of the stride.',
      });
    }
  }
  return findings;
}

/** 'the last 1 row and 1 column' (2-D), or per-dim counts for other ranks. */
function droppedText(dropped: number[]): string {
  if (dropped.length !== 2) return `the last ${size(dropped)} positions (per spatial dim)`;
  const [rows, columns] = dropped;
  const part = (n: number, word: string) => (n > 0 ? `${n} ${word}${n === 1 ? '' : 's'}` : '');
  return `the last ${[part(rows, 'row'), part(columns, 'column')].filter(Boolean).join(' and ')}`;
}
