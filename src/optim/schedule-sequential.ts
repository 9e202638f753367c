import { check } from '../tensor/errors.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { LRScheduler, type SchedulerStateDict } from './schedule.js';
import { ReduceLROnPlateau } from './schedule-plateau.js';

/** Options of SequentialLR. */
export interface SequentialLROptions {
  /** The schedules to run one after another, all built on the same optimizer. */
  schedulers: LRScheduler[];
  /** The epochs at which each next schedule takes over (one fewer than schedulers, increasing). */
  milestones: number[];
}

/**
 * Runs schedules one after another (PyTorch's SequentialLR): the first until milestones[0], where
 * the second restarts from epoch 0 of its own, and so on. Build the parts on the same optimizer
 * first; this resets the rates to their base values and starts the first part.
 *
 * @example
 * // 5 epochs of linear warm-up, then cosine decay over the remaining 95
 * const schedule = new SequentialLR(opt, {
 *   schedulers: [new LinearLR(opt, { startFactor: 0.1, totalIters: 5 }), new CosineAnnealingLR(opt, { TMax: 95 })],
 *   milestones: [5],
 * });
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];

  constructor(
    optimizer: Optimizer<OptimizerOptions>,
    { schedulers, milestones }: SequentialLROptions,
  ) {
    super(optimizer);
    const op = 'SequentialLR';
    check(schedulers.length > 0, op, () => 'needs at least one scheduler');
    schedulers.forEach((s, i) => {
      check(
        s.optimizer === optimizer,
        op,
        () => `schedulers[${i}] was built on a different optimizer`,
      );
      check(
        !(s instanceof ReduceLROnPlateau),
        op,
        () =>
          `schedulers[${i}] is a ReduceLROnPlateau, which follows a metric rather than epochs; step it on its own`,
      );
    });
    check(
      milestones.length === schedulers.length - 1,
      op,
      () =>
        `${schedulers.length} schedulers need ${schedulers.length - 1} milestones, got ${milestones.length}`,
    );
    milestones.forEach((m, i) => {
      check(
        Number.isInteger(m) && m > (i === 0 ? 0 : milestones[i - 1]),
        op,
        () => `milestones must be increasing positive integers, got [${milestones.join(', ')}]`,
      );
    });
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    // Each part applied its own epoch 0 when built; undo that and start only the first.
    this.lastEpoch = 0;
    for (const group of optimizer.paramGroups) group.lr = group.initialLr!;
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].step();
    this.setLrs(schedulers[0].getLastLr());
  }

  protected getLr(): number[] {
    const t = this.lastEpoch;
    const index = this.milestones.filter((m) => m <= t).length;
    const current = this.schedulers[index];
    if (index > 0 && this.milestones[index - 1] === t) current.restart();
    else current.step();
    return current.getLastLr();
  }

  protected override startLrs(): number[] {
    this.schedulers[0].restart();
    return this.schedulers[0].getLastLr();
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(state: SchedulerStateDict): void {
    const saved = state.schedulers;
    check(
      Array.isArray(saved) && saved.length === this.schedulers.length,
      'loadStateDict',
      () => `the saved SequentialLR state should hold ${this.schedulers.length} schedulers' states`,
    );
    super.loadStateDict(state);
    this.schedulers.forEach((s, i) => s.loadStateDict(saved[i] as SchedulerStateDict));
  }
}
