import type { SampleTransform } from '../dataset.js';

/**
 * Runs transforms one after another on a sample, all drawing from the same generator, as
 * torchvision's Compose.
 *
 * @example
 * const train = compose([randomCrop(28, { padding: 2 }), randomHorizontalFlip(), toFloat(), normalize(stats)]);
 * const { input } = train(dataset.get(0), new Generator(42));
 */
export function compose(transforms: readonly SampleTransform[]): SampleTransform {
  return (sample, generator) => transforms.reduce((s, t) => t(s, generator), sample);
}
