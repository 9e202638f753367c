import { check } from '../tensor/errors.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { LRScheduler } from './schedule.js';

function checkCount(op: string, name: string, value: number): void {
  check(
    Number.isInteger(value) && value > 0,
    op,
    () => `${name} must be a positive integer, got ${value}`,
  );
}

/** Options of StepLR. */
export interface StepLROptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Factor applied at each decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's lr by `gamma` every `stepSize` epochs (PyTorch's StepLR):
 * lr = base·gamma^⌊epoch/stepSize⌋.
 *
 * @example
 * const schedule = new StepLR(opt, { stepSize: 30, gamma: 0.1 }); // 0.1, then 0.01 from epoch 30, ...
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer<OptimizerOptions>, { stepSize, gamma = 0.1 }: StepLROptions) {
    super(optimizer);
    checkCount('StepLR', 'stepSize', stepSize);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.step(); // epoch 0, as PyTorch's constructor does
  }

  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** Options of MultiStepLR. */
export interface MultiStepLROptions {
  /** Epochs at which to decay; a milestone listed twice decays twice. */
  milestones: number[];
  /** Factor applied at each milestone (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's lr by `gamma` at each milestone epoch (PyTorch's MultiStepLR).
 *
 * @example
 * const schedule = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;

  constructor(
    optimizer: Optimizer<OptimizerOptions>,
    { milestones, gamma = 0.1 }: MultiStepLROptions,
  ) {
    super(optimizer);
    for (const m of milestones) checkCount('MultiStepLR', 'each milestone', m);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.step(); // epoch 0, as PyTorch's constructor does
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.currentLrs();
    return hits === 0 ? lrs : lrs.map((lr) => lr * this.gamma ** hits);
  }
}

/** Options of ExponentialLR. */
export interface ExponentialLROptions {
  /** Factor applied every epoch. */
  gamma: number;
}

/**
 * Multiplies each group's lr by `gamma` every epoch (PyTorch's ExponentialLR): lr = base·gamma^epoch.
 *
 * @example
 * const schedule = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer<OptimizerOptions>, { gamma }: ExponentialLROptions) {
    super(optimizer);
    this.gamma = gamma;
    this.step(); // epoch 0, as PyTorch's constructor does
  }

  protected getLr(): number[] {
    const lrs = this.currentLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }
}
