import { check } from '../tensor/errors.js';
import type { Optimizer, OptimizerOptions, ParamGroup } from './optimizer.js';
import { LRScheduler, perGroup } from './schedule.js';

/** Options of OneCycleLR: PyTorch's, with its defaults. */
export interface OneCycleLROptions {
  /** The peak lr, for all groups or one per group. */
  maxLr: number | number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the lr (default 0.3). */
  pctStart?: number;
  /** Shape of each phase: 'cos' or 'linear' (default 'cos'). */
  annealStrategy?: 'cos' | 'linear';
  /** Move momentum (SGD, RMSprop) or beta1 (Adam, AdamW) opposite to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the peak lr (default 0.85). */
  baseMomentum?: number | number[];
  /** Momentum at the start and the end (default 0.95). */
  maxMomentum?: number | number[];
  /** The lr starts at maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The lr ends at the starting lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases: up, back down to the start, then the final annealing (default false). */
  threePhase?: boolean;
}

type Level = 'initial' | 'max' | 'min';

/** A phase of the cycle: its last step, and where lr and momentum go from and to. */
interface Phase {
  endStep: number;
  lr: [Level, Level];
  momentum: ['max' | 'base', 'max' | 'base'];
}

type MomentumGroup = ParamGroup<OptimizerOptions> & { momentum?: number; betas?: [number, number] };

/**
 * The 1cycle policy (PyTorch's OneCycleLR): over totalSteps steps the lr rises from
 * maxLr/divFactor to maxLr, then falls to maxLr/(divFactor·finalDivFactor), while momentum moves
 * the opposite way between maxMomentum and baseMomentum. Step it after every batch.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const schedule = new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: loader.length });
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  private readonly phases: Phase[];
  private readonly lrs: Record<Level, number[]>;
  private readonly momenta: Record<'max' | 'base', number[]>;

  constructor(optimizer: Optimizer<OptimizerOptions>, options: OneCycleLROptions) {
    super(optimizer);
    const op = 'OneCycleLR';
    const { maxLr, pctStart = 0.3, annealStrategy = 'cos', threePhase = false } = options;
    const { cycleMomentum = true, baseMomentum = 0.85, maxMomentum = 0.95 } = options;
    const { divFactor = 25, finalDivFactor = 1e4 } = options;
    this.totalSteps = totalStepsOf(options);
    check(pctStart >= 0 && pctStart <= 1, op, () => `pctStart must be in [0, 1], got ${pctStart}`);
    check(
      annealStrategy === 'cos' || annealStrategy === 'linear',
      op,
      () => `annealStrategy must be 'cos' or 'linear', got '${annealStrategy}'`,
    );
    this.annealStrategy = annealStrategy;
    this.phases = cyclePhases(this.totalSteps, pctStart, threePhase);

    const groups = optimizer.paramGroups;
    const max = perGroup(op, 'maxLr', maxLr, groups.length);
    const initial = max.map((lr) => lr / divFactor);
    this.lrs = { initial, max, min: initial.map((lr) => lr / finalDivFactor) };
    // The cycle starts from maxLr/divFactor whatever the optimizer's lr was.
    groups.forEach((g, i) => (g.initialLr = initial[i]));
    this.baseLrs = initial;

    this.cycleMomentum = cycleMomentum;
    this.momenta = {
      max: perGroup(op, 'maxMomentum', maxMomentum, groups.length),
      base: perGroup(op, 'baseMomentum', baseMomentum, groups.length),
    };
    check(
      !cycleMomentum || 'betas' in optimizer.defaults || 'momentum' in optimizer.defaults,
      op,
      () =>
        `cycleMomentum needs an optimizer with momentum or betas; ${optimizer.constructor.name} has neither (pass cycleMomentum: false)`,
    );
    this.step(); // step 0, as PyTorch's constructor does
  }

  protected override startLrs(): number[] {
    return this.getLr();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  /** The rates of this step; also sets each group's momentum (or beta1) when cycling it. */
  protected getLr(): number[] {
    const t = this.lastEpoch;
    check(
      t <= this.totalSteps,
      'OneCycleLR',
      () => `tried to step ${t + 1} times, but totalSteps is ${this.totalSteps}`,
    );
    // The phase holding step t (the last one also takes any step past the end), and its start.
    let index = 0;
    while (index < this.phases.length - 1 && t > this.phases[index].endStep) index++;
    const phase = this.phases[index];
    const start = index === 0 ? 0 : this.phases[index - 1].endStep;
    const pct = (t - start) / (phase.endStep - start);
    const groups = this.optimizer.paramGroups as MomentumGroup[];
    return groups.map((group, i) => {
      if (this.cycleMomentum) {
        const [from, to] = phase.momentum;
        const momentum = this.anneal(this.momenta[from][i], this.momenta[to][i], pct);
        if (group.betas !== undefined) group.betas = [momentum, group.betas[1]];
        else group.momentum = momentum;
      }
      const [from, to] = phase.lr;
      return this.anneal(this.lrs[from][i], this.lrs[to][i], pct);
    });
  }
}

/** The cycle's length: totalSteps, or epochs × stepsPerEpoch. */
function totalStepsOf({ totalSteps, epochs, stepsPerEpoch }: OneCycleLROptions): number {
  const isCount = (n: number | undefined): n is number => Number.isInteger(n) && n! > 0;
  if (totalSteps !== undefined) {
    check(
      isCount(totalSteps),
      'OneCycleLR',
      () => `totalSteps must be a positive integer, got ${totalSteps}`,
    );
    return totalSteps;
  }
  check(
    isCount(epochs) && isCount(stepsPerEpoch),
    'OneCycleLR',
    () =>
      `give totalSteps, or epochs and stepsPerEpoch as positive integers (got epochs ${epochs}, stepsPerEpoch ${stepsPerEpoch})`,
  );
  return epochs * stepsPerEpoch;
}

/** PyTorch's phases: up to maxLr, (back to the start,) then down to the minimum. */
function cyclePhases(total: number, pctStart: number, threePhase: boolean): Phase[] {
  const up: Phase = {
    endStep: pctStart * total - 1,
    lr: ['initial', 'max'],
    momentum: ['max', 'base'],
  };
  if (!threePhase) {
    return [up, { endStep: total - 1, lr: ['max', 'min'], momentum: ['base', 'max'] }];
  }
  return [
    up,
    { endStep: 2 * pctStart * total - 2, lr: ['max', 'initial'], momentum: ['base', 'max'] },
    { endStep: total - 1, lr: ['initial', 'min'], momentum: ['max', 'max'] },
  ];
}
