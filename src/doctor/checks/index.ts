/** Every check the doctor runs, in report order within a severity. */
import type { Check } from '../finding.js';
import { batchNormStatsCheck } from './batchnorm-stats.js';
import { biasBeforeNormCheck } from './bias-before-norm.js';
import { checkerboardCheck } from './checkerboard.js';
import { deadReluCheck } from './dead-relu.js';
import { downsamplingCheck } from './downsampling.js';
import { gradientCheck } from './gradients.js';
import { inputLayoutCheck } from './input-layout.js';
import { inputStatisticsCheck } from './input-statistics.js';
import { receptiveFieldCheck } from './receptive-field.js';
import { smallDatasetCheck } from './small-dataset.js';
import { spatialStructureCheck } from './spatial-structure.js';
import { windowAlignmentCheck } from './window-alignment.js';

/** The checks: the model's structure first, then the data, then the data through the model. */
export const CHECKS: readonly Check[] = [
  receptiveFieldCheck,
  downsamplingCheck,
  windowAlignmentCheck,
  checkerboardCheck,
  biasBeforeNormCheck,
  batchNormStatsCheck,
  inputLayoutCheck,
  inputStatisticsCheck,
  spatialStructureCheck,
  smallDatasetCheck,
  gradientCheck,
  deadReluCheck,
];
