import type { GroupedConv } from '../../src/backend/backend.js';
import { slidingGeometry } from '../../src/ops/conv.js';

/** A convolution for a kernel test: sizes, with stride 1, dilation 1, no padding, 1 group by default. */
export interface ConvSpec {
  batch: number;
  channels: number;
  outChannels: number;
  groups?: number;
  inSize: readonly number[];
  kernel: readonly number[];
  stride?: readonly number[];
  padBefore?: readonly number[];
  padAfter?: readonly number[];
  dilation?: readonly number[];
}

/** The geometry the conv op computes for a spec (output sizes by `slidingGeometry`). */
export function convGeometry(s: ConvSpec): GroupedConv {
  const fill = (v: number) => s.inSize.map(() => v);
  const window = {
    kernel: s.kernel,
    stride: s.stride ?? fill(1),
    dilation: s.dilation ?? fill(1),
    padBefore: s.padBefore ?? fill(0),
    padAfter: s.padAfter ?? fill(0),
  };
  const g = slidingGeometry('test', s.batch, s.channels, s.inSize, window);
  return { ...g, groups: s.groups ?? 1, outChannels: s.outChannels };
}
