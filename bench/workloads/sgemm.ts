/** SGEMM workloads: square float32 products, 512³ and 1024³ (64³ and 128³ with `--quick`). */
import type { Scale, Workload } from '../workload.js';

const SIZES = [
  { full: 512, quick: 64 },
  { full: 1024, quick: 128, goal: 60 },
];

/** The SGEMM workloads at a scale. */
export function sgemmWorkloads(scale: Scale): Workload[] {
  return SIZES.map((size) => {
    const n = size[scale];
    return {
      name: `sgemm-${size.full}`,
      title: `SGEMM ${n}³`,
      task: { kind: 'sgemm', m: n, n, k: n },
      unit: 'GFLOP/s',
      work: 2 * n * n * n,
      goal: scale === 'full' ? size.goal : undefined,
    };
  });
}
