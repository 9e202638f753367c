/**
 * Per-sample transforms (scaling, normalization, geometric and photometric augmentation), each a
 * SampleTransform seeded by the generator it is given, and the batch-level mixup and cutmix.
 */
export type { SampleTransform as Transform } from '../dataset.js';
export * from './compose.js';
export * from './scale.js';
export * from './geometry.js';
export * from './color.js';
export * from './mix.js';
