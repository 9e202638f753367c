/** The data checks' view of a dataset: a few batches drawn evenly from it. */
import { isFloat } from '../backend/dtype.js';
import type { Batch, Dataset } from '../data/dataset.js';
import { cast } from '../ops/cast.js';
import { stack } from '../ops/concat.js';
import { Generator } from '../tensor/random.js';

/**
 * Up to `samples` samples of `data`, evenly spaced over it so that a dataset sorted by class
 * still gives every class, in batches of `batchSize`, inputs as float32 (values unchanged: a
 * uint8 image stays in 0..255, which is what the input checks look for).
 */
export function sampleBatches(data: Dataset, samples: number, batchSize: number): Batch[] {
  const n = Math.min(samples, data.length);
  const generator = new Generator(0);
  const picked = Array.from({ length: n }, (_, k) =>
    data.get(Math.floor((k * data.length) / n), generator),
  );
  const batches: Batch[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const chunk = picked.slice(start, start + batchSize);
    const input = stack(chunk.map((s) => s.input));
    batches.push({
      input: isFloat(input.dtype) ? input : cast(input, 'float32'),
      target: stack(chunk.map((s) => s.target)),
    });
  }
  return batches;
}
