/**
 * Transforms: per-sample scaling, normalization and augmentation, and the batch-level mixup and
 * cutmix. Each per-sample transform is a `Transform`, a plain function on one image [C, H, W]
 * (uint8 or float) outside autograd, drawing only from the generator it is given; it changes
 * `input` only and never writes into the tensors it receives. Geometric ones keep the image's
 * dtype (so uint8 images stay uint8 until toFloat) and all go through one affine warp (warp.ts).
 */
import type { SampleTransform } from '../dataset.js';

/**
 * A per-sample transform: `(sample, generator) => sample`, the `transform` that datasets and the
 * DataLoader accept. Random ones draw only from `generator`, so a seeded loader repeats them.
 *
 * @example
 * const augment: Transform = compose([randomCrop(32, { padding: 4 }), randomHorizontalFlip(), toFloat()]);
 * const loader = new DataLoader(train, { batchSize: 128, shuffle: true, transform: augment });
 */
export type Transform = SampleTransform;

export * from './compose.js';
export * from './scale.js';
export * from './statistics.js';
export * from './crop.js';
export * from './resize.js';
export * from './flip.js';
export * from './affine.js';
export * from './color.js';
export * from './erasing.js';
export * from './mix.js';
export type { Interpolation } from './warp.js';
export type { Range, Size } from './params.js';
