/** Every workload of `npm run bench`, in the order of the table. */
import type { Scale, Workload } from '../workload.js';
import { convWorkloads } from './conv.js';
import { kerasCnnWorkloads } from './keras-cnn.js';
import { sgemmWorkloads } from './sgemm.js';

/** All workloads at a scale: SGEMM, convolutions, Keras-CNN training and inference. */
export function allWorkloads(scale: Scale): Workload[] {
  return [...sgemmWorkloads(scale), ...convWorkloads(scale), ...kerasCnnWorkloads(scale)];
}
