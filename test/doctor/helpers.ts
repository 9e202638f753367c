import type { Dataset } from '../../src/data/dataset.js';
import { fashionMnistSample } from '../../src/data/fashion-mnist.js';
import { compose, normalize, toFloat } from '../../src/data/transforms/index.js';
import type { Finding } from '../../src/doctor/finding.js';
import type { SampleTransform } from '../../src/data/dataset.js';
import { pad } from '../../src/ops/pad.js';

/** Fashion-MNIST's pixel statistics in [0, 1]. */
export const FASHION_STATS = { mean: [0.286], std: [0.353] };

/** The ids of findings, sorted, for deepEqual. */
export const ids = (findings: Finding[]) => findings.map((f) => f.id).sort();

/** The finding with `id` (throws when absent, naming what was found). */
export function finding(findings: Finding[], id: string): Finding {
  const found = findings.find((f) => f.id === id);
  if (!found) throw new Error(`no '${id}' finding; got ${JSON.stringify(ids(findings))}`);
  return found;
}

/**
 * The shipped Fashion-MNIST training sample through `transform` (default: scaled and
 * normalized), cut to `length` samples evenly spaced over the classes.
 */
export function fashion(
  transform: SampleTransform = compose([toFloat(), normalize(FASHION_STATS)]),
  length = 10000,
): Dataset {
  const train = fashionMnistSample('train');
  return {
    length,
    get: (i, g) => transform(train.get(Math.floor((i * train.length) / length), g), g!),
  };
}

/** Fashion-MNIST normalized and padded by 2 to 32×32, the input small_vgg is built for. */
export const fashion32 = (length?: number) =>
  fashion(
    compose([
      toFloat(),
      normalize(FASHION_STATS),
      (s) => ({ ...s, input: pad(s.input, [2, 2, 2, 2]) }),
    ]),
    length,
  );
