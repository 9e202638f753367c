import type { TypedArray } from '../backend/dtype.js';
import { check } from '../tensor/errors.js';

/** How calibration turns the values seen into a range. */
export type CalibrationMethod = 'minmax' | 'percentile';

/** Values kept per observed array for percentiles: a strided sample, enough for 99.99%. */
const SAMPLE_PER_CALL = 8192;

/**
 * Watches the values one tensor takes over the calibration batches and proposes a range:
 * 'minmax' the smallest and largest seen (nothing is clipped), 'percentile' the `percentile`-th
 * and (100 − percentile)-th percentiles of a strided sample (rare outliers are clipped, which
 * buys a finer step for the common values).
 */
export class RangeObserver {
  private min = Infinity;
  private max = -Infinity;
  private readonly sample: number[] = [];

  constructor(
    readonly method: CalibrationMethod = 'minmax',
    readonly percentile = 99.99,
  ) {
    check(
      method === 'minmax' || method === 'percentile',
      'RangeObserver',
      () => `method must be 'minmax' or 'percentile', got '${String(method)}'`,
    );
    check(
      percentile > 50 && percentile <= 100,
      'RangeObserver',
      () => `percentile must be in (50, 100], got ${percentile}`,
    );
  }

  /** Records the values of one tensor. */
  observe(values: TypedArray): void {
    for (const v of values) {
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
    if (this.method === 'percentile') {
      const stride = Math.max(1, Math.floor(values.length / SAMPLE_PER_CALL));
      for (let i = 0; i < values.length; i += stride) this.sample.push(values[i]);
    }
  }

  /** The proposed [min, max]; throws when nothing was observed. */
  range(): [number, number] {
    check(
      this.min <= this.max,
      'RangeObserver',
      () => 'no values were observed: run calibration data through the model first',
    );
    if (this.method === 'minmax') return [this.min, this.max];
    const sorted = Float64Array.from(this.sample).sort();
    const at = (p: number) => sorted[Math.round((p / 100) * (sorted.length - 1))];
    return [at(100 - this.percentile), at(this.percentile)];
  }
}
