import type { SampleTransform } from '../dataset.js';

/**
 * Runs transforms one after another, as torchvision's `Compose`.
 *
 * @example compose([toFloat(), randomHorizontalFlip(), normalize({ mean: [0.286], std: [0.353] })])
 */
export function compose(transforms: readonly SampleTransform[]): SampleTransform {
  return (sample, generator) => transforms.reduce((s, t) => t(s, generator), sample);
}
