import { check } from '../tensor/errors.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { LRScheduler } from './schedule.js';

/** Options of LinearLR. */
export interface LinearLROptions {
  /** Factor of the base lr at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor of the base lr from epoch totalIters on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs over which the factor moves linearly from start to end (default 5). */
  totalIters?: number;
}

/**
 * Scales each group's lr by a factor that moves linearly from startFactor to endFactor over
 * totalIters epochs, then stays (PyTorch's LinearLR): the usual linear warm-up. Chain it with
 * another schedule through SequentialLR.
 *
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.01, totalIters: 5 }); // lr/100 → lr over 5 epochs
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(
    optimizer: Optimizer<OptimizerOptions>,
    { startFactor = 1 / 3, endFactor = 1, totalIters = 5 }: LinearLROptions = {},
  ) {
    super(optimizer);
    const op = 'LinearLR';
    check(
      startFactor > 0 && startFactor <= 1,
      op,
      () => `startFactor must be in (0, 1], got ${startFactor}`,
    );
    check(
      endFactor >= 0 && endFactor <= 1,
      op,
      () => `endFactor must be in [0, 1], got ${endFactor}`,
    );
    check(
      Number.isInteger(totalIters) && totalIters > 0,
      op,
      () => `totalIters must be a positive integer, got ${totalIters}`,
    );
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.step(); // epoch 0, as PyTorch's constructor does
  }

  protected getLr(): number[] {
    const { startFactor: start, endFactor: end, totalIters: total, lastEpoch: t } = this;
    const lrs = this.currentLrs();
    if (t === 0) return lrs.map((lr) => lr * start);
    if (t > total) return lrs;
    // The ratio of this epoch's factor to the last one's.
    return lrs.map((lr) => lr * (1 + (end - start) / (total * start + (t - 1) * (end - start))));
  }

  protected override startLrs(): number[] {
    return this.baseLrs.map((base) => base * this.startFactor);
  }
}
