import { check } from '../tensor/errors.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { LRScheduler, perGroup, savedNumber, type SchedulerStateDict } from './schedule.js';

/** Options of ReduceLROnPlateau: PyTorch's, with its defaults. */
export interface ReduceLROnPlateauOptions {
  /** 'min' when lower is better (a loss), 'max' when higher is (an accuracy) (default 'min'). */
  mode?: 'min' | 'max';
  /** Factor applied to the lr on a plateau, < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** The least change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel': better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold (default 'rel'). */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound of the lr, for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces each group's lr by `factor` when a metric has stopped improving for more than
 * `patience` epochs (PyTorch's ReduceLROnPlateau). Unlike the other schedules, `step` takes the
 * metric, e.g. the validation loss.
 *
 * @example
 * const schedule = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 3 });
 * for (let epoch = 0; epoch < 50; epoch++) {
 *   trainOneEpoch();
 *   schedule.step(validationLoss());
 * }
 */
export class ReduceLROnPlateau extends LRScheduler {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best = Infinity;
  /** Epochs in a row without improvement. */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;

  constructor(optimizer: Optimizer<OptimizerOptions>, options: ReduceLROnPlateauOptions = {}) {
    super(optimizer);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4 } = options;
    const { thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    const op = 'ReduceLROnPlateau';
    check(mode === 'min' || mode === 'max', op, () => `mode must be 'min' or 'max', got '${mode}'`);
    check(
      thresholdMode === 'rel' || thresholdMode === 'abs',
      op,
      () => `thresholdMode must be 'rel' or 'abs', got '${thresholdMode}'`,
    );
    check(factor < 1, op, () => `factor must be < 1, got ${factor}`);
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.minLrs = perGroup(op, 'minLr', minLr, optimizer.paramGroups.length);
    this.eps = eps;
    this.lastEpoch = 0;
    this.restart();
  }

  /** Records this epoch's metric, and reduces the rates after too many epochs without improvement. */
  override step(metric?: number): void {
    check(
      typeof metric === 'number',
      'ReduceLROnPlateau',
      () => `step(metric) needs the monitored number (e.g. the validation loss), got ${metric}`,
    );
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during cooldown do not count
    }
    const reduce = this.numBadEpochs > this.patience;
    if (reduce) {
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.setLrs(reduce ? this.getLr() : this.currentLrs());
  }

  /** Forgets the best metric and the counters (the rates stay). */
  override restart(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.numBadEpochs = 0;
    this.cooldownCounter = 0;
  }

  /** The reduced rates, floored at minLr; a change smaller than eps is skipped. */
  protected getLr(): number[] {
    return this.currentLrs().map((lr, i) => {
      const reduced = Math.max(lr * this.factor, this.minLrs[i]);
      return lr - reduced > this.eps ? reduced : lr;
    });
  }

  private isBetter(metric: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min')
      return this.thresholdMode === 'rel'
        ? metric < best * (1 - threshold)
        : metric < best - threshold;
    return this.thresholdMode === 'rel'
      ? metric > best * (threshold + 1)
      : metric > best + threshold;
  }

  /** The progress; `best` is null before the first step (JSON has no Infinity). */
  override stateDict(): SchedulerStateDict {
    const { best, numBadEpochs, cooldownCounter } = this;
    return {
      ...super.stateDict(),
      best: Number.isFinite(best) ? best : null,
      numBadEpochs,
      cooldownCounter,
    };
  }

  override loadStateDict(state: SchedulerStateDict): void {
    super.loadStateDict(state);
    this.restart();
    if (state.best !== null) this.best = savedNumber(state, 'best');
    this.numBadEpochs = savedNumber(state, 'numBadEpochs');
    this.cooldownCounter = savedNumber(state, 'cooldownCounter');
  }
}
