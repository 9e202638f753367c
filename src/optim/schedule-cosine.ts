import { check } from '../tensor/errors.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { LRScheduler, savedNumber, type SchedulerStateDict } from './schedule.js';

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions {
  /** Epochs from the base lr down to etaMin (half a cosine period). */
  TMax: number;
  /** The lowest lr (default 0). */
  etaMin?: number;
}

/**
 * Anneals each group's lr from its base down to etaMin along half a cosine over TMax epochs,
 * lr = etaMin + (base − etaMin)·(1 + cos(π·epoch/TMax))/2, then back up if stepped further
 * (PyTorch's CosineAnnealingLR, computed with its recursive form so it composes the same way).
 *
 * @example
 * const schedule = new CosineAnnealingLR(opt, { TMax: epochs, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly TMax: number;
  readonly etaMin: number;

  constructor(
    optimizer: Optimizer<OptimizerOptions>,
    { TMax, etaMin = 0 }: CosineAnnealingLROptions,
  ) {
    super(optimizer);
    check(TMax > 0, 'CosineAnnealingLR', () => `TMax must be > 0, got ${TMax}`);
    this.TMax = TMax;
    this.etaMin = etaMin;
    this.step(); // epoch 0, as PyTorch's constructor does
  }

  protected getLr(): number[] {
    const { TMax, etaMin, lastEpoch: t } = this;
    const lrs = this.currentLrs();
    if (t === 0) return lrs;
    // Leaving the bottom of the curve: the ratio below would divide by 1 + cos(π) = 0.
    if ((t - 1 - TMax) % (2 * TMax) === 0) {
      return lrs.map(
        (lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2,
      );
    }
    const ratio = (1 + Math.cos((Math.PI * t) / TMax)) / (1 + Math.cos((Math.PI * (t - 1)) / TMax));
    return lrs.map((lr) => ratio * (lr - etaMin) + etaMin);
  }
}

/** Options of CosineAnnealingWarmRestarts. */
export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs in the first period. */
  T0: number;
  /** Each period is TMult times longer than the one before (default 1). */
  TMult?: number;
  /** The lowest lr (default 0). */
  etaMin?: number;
}

/**
 * SGDR: anneals each group's lr from its base to etaMin along half a cosine, then jumps back to
 * the base; the periods last T0, T0·TMult, T0·TMult², ... epochs (PyTorch's
 * CosineAnnealingWarmRestarts). Step it per epoch, or per batch with T0 counted in batches.
 *
 * @example
 * const schedule = new CosineAnnealingWarmRestarts(opt, { T0: 10, TMult: 2 });
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly T0: number;
  readonly TMult: number;
  readonly etaMin: number;
  /** Length of the current period. */
  TI: number;
  /** Epochs since the last restart. */
  TCur = 0;

  constructor(
    optimizer: Optimizer<OptimizerOptions>,
    { T0, TMult = 1, etaMin = 0 }: CosineAnnealingWarmRestartsOptions,
  ) {
    super(optimizer);
    const op = 'CosineAnnealingWarmRestarts';
    check(Number.isInteger(T0) && T0 > 0, op, () => `T0 must be a positive integer, got ${T0}`);
    check(
      Number.isInteger(TMult) && TMult >= 1,
      op,
      () => `TMult must be an integer >= 1, got ${TMult}`,
    );
    this.T0 = T0;
    this.TI = T0;
    this.TMult = TMult;
    this.etaMin = etaMin;
    this.step(); // epoch 0, as PyTorch's constructor does
  }

  override step(): void {
    // The constructor's step starts the first period; later steps advance through the periods.
    if (this.lastEpoch >= 0 && ++this.TCur >= this.TI) {
      this.TCur -= this.TI;
      this.TI *= this.TMult;
    }
    super.step();
  }

  override restart(): void {
    this.TCur = 0;
    this.TI = this.T0;
    super.restart();
  }

  protected getLr(): number[] {
    const cos = 1 + Math.cos((Math.PI * this.TCur) / this.TI);
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * cos) / 2);
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), TCur: this.TCur, TI: this.TI };
  }

  override loadStateDict(state: SchedulerStateDict): void {
    super.loadStateDict(state);
    this.TCur = savedNumber(state, 'TCur');
    this.TI = savedNumber(state, 'TI');
  }
}
