import { check } from '../tensor/errors.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';

/** A schedule's progress as JSON-serialisable data, as `stateDict()` returns it. */
export type SchedulerStateDict = {
  lastEpoch: number;
  lastLr: number[];
  baseLrs: number[];
} & Record<string, unknown>;

/**
 * The base of the learning-rate schedules, after PyTorch's `_LRScheduler`: a schedule owns the
 * `lr` of each of an optimizer's parameter groups. Construction applies epoch 0's rates; each
 * `step()` (after each epoch, or each batch for per-batch schedules) moves to the next epoch.
 * Each group's `initialLr` (its lr when the first schedule was attached) is the base rate.
 *
 * @example
 * const schedule = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 90; epoch++) {
 *   trainOneEpoch();
 *   schedule.step();
 * }
 */
export abstract class LRScheduler {
  /** Each group's lr when the schedule started (its `initialLr`). */
  baseLrs: number[];
  /** The epoch the schedule is at: 0 after construction, +1 per step (PyTorch's `last_epoch`). */
  lastEpoch = -1;
  private lastLr: number[];

  constructor(
    /** The optimizer whose groups' lr this schedule sets. */
    readonly optimizer: Optimizer<OptimizerOptions>,
  ) {
    for (const group of optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastLr = this.currentLrs();
  }

  /** The rates for `lastEpoch`, from the groups' current rates (PyTorch's chainable form). */
  protected abstract getLr(): number[];

  /** The rates of epoch 0 from the base rates alone, which `restart()` applies: the base rates. */
  protected startLrs(): number[] {
    return [...this.baseLrs];
  }

  /** Moves to the next epoch and sets each group's lr. */
  step(): void {
    this.lastEpoch += 1;
    this.setLrs(this.getLr());
  }

  /** Goes back to epoch 0 and its rates, as SequentialLR does when it reaches this schedule. */
  restart(): void {
    this.lastEpoch = 0;
    this.setLrs(this.startLrs());
  }

  /** The rates this schedule last set, one per parameter group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Each group's lr now. */
  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Sets each group's lr and remembers them for getLastLr. */
  protected setLrs(lrs: readonly number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = this.currentLrs();
  }

  /**
   * The schedule's progress (epoch, rates and any counters), to resume with `loadStateDict` on a
   * schedule built with the same options.
   */
  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], baseLrs: [...this.baseLrs] };
  }

  /** Restores progress saved by `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    const groups = this.optimizer.paramGroups.length;
    this.lastEpoch = savedNumber(state, 'lastEpoch');
    for (const key of ['lastLr', 'baseLrs'] as const) {
      const values = state[key];
      check(
        Array.isArray(values) &&
          values.length === groups &&
          values.every((v) => typeof v === 'number'),
        'loadStateDict',
        () =>
          `saved '${key}' should hold ${groups} numbers (one per parameter group), got ${JSON.stringify(values)}`,
      );
    }
    this.lastLr = [...state.lastLr];
    this.baseLrs = [...state.baseLrs];
  }
}

/** `state[key]`, checked to be a number. */
export function savedNumber(state: SchedulerStateDict, key: string): number {
  const value = state[key];
  check(
    typeof value === 'number',
    'loadStateDict',
    () => `saved '${key}' should be a number, got ${JSON.stringify(value)}`,
  );
  return value;
}

/** One value per parameter group: `value` repeated, or an array checked to have the right length. */
export function perGroup(
  op: string,
  name: string,
  value: number | readonly number[],
  groups: number,
): number[] {
  if (typeof value === 'number') return new Array<number>(groups).fill(value);
  check(
    value.length === groups,
    op,
    () => `${name} has ${value.length} values but the optimizer has ${groups} parameter groups`,
  );
  return [...value];
}
