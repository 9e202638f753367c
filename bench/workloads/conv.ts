/**
 * Convolution workloads of issue 4, forward only, NCHW float32, stride 1: 3×3 pad 1 (a) N=32,
 * 32→64, 28×28; (b) N=8, 64→64, 56×56; (c) depthwise N=8, C=128, 56×56; (d) 1×1 N=8, 128→256,
 * 28×28. `--quick` divides batch, channels and image size.
 */
import type { ConvTask, Scale, Workload } from '../workload.js';

interface ConvCase {
  name: string;
  label: string;
  task: ConvTask;
  goal: number;
}

const conv = (
  batch: number,
  inChannels: number,
  outChannels: number,
  size: number,
  kernel: number,
  groups = 1,
): ConvTask => ({
  kind: 'conv2d',
  batch,
  inChannels,
  outChannels,
  size,
  kernel,
  padding: (kernel - 1) / 2,
  groups,
});

const CASES: ConvCase[] = [
  { name: 'conv-a', label: '(a) 3×3', task: conv(32, 32, 64, 28, 3), goal: 50 },
  { name: 'conv-b', label: '(b) 3×3', task: conv(8, 64, 64, 56, 3), goal: 55 },
  {
    name: 'conv-c-depthwise',
    label: '(c) depthwise 3×3',
    task: conv(8, 128, 128, 56, 3, 128),
    goal: 16,
  },
  { name: 'conv-d-1x1', label: '(d) 1×1', task: conv(8, 128, 256, 28, 1), goal: 55 },
];

/** The task made small: batch, channels (and groups with them) and size divided by 4, at least 1. */
function shrink(task: ConvTask): ConvTask {
  const quarter = (x: number) => Math.max(1, Math.round(x / 4));
  const depthwise = task.groups === task.inChannels;
  const inChannels = quarter(task.inChannels);
  return {
    ...task,
    batch: quarter(task.batch),
    inChannels,
    outChannels: quarter(task.outChannels),
    size: quarter(task.size),
    groups: depthwise ? inChannels : task.groups,
  };
}

/** Multiply-adds × 2 of one forward pass (same-size output: stride 1, padding (kernel − 1)/2). */
function convFlops(t: ConvTask): number {
  return 2 * t.batch * t.outChannels * t.size * t.size * (t.inChannels / t.groups) * t.kernel ** 2;
}

/** The convolution workloads at a scale. */
export function convWorkloads(scale: Scale): Workload[] {
  return CASES.map(({ name, label, task: full, goal }) => {
    const task = scale === 'full' ? full : shrink(full);
    const { batch, inChannels, outChannels, size } = task;
    return {
      name,
      title: `conv ${label} N=${batch}, ${inChannels}→${outChannels}, ${size}×${size}`,
      task,
      unit: 'GFLOP/s',
      work: convFlops(task),
      goal: scale === 'full' ? goal : undefined,
    };
  });
}
