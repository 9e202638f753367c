import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  Adagrad,
  Adam,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  ExponentialLR,
  FoveaError,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  SGD,
  StepLR,
  zeros,
  type LRScheduler,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
  type SchedulerStateDict,
} from '../../src/index.js';

// Reference numbers from PyTorch 1.13: scripts/make-optim-fixtures.py.
interface SchedulerSpec {
  type: string;
  options: Record<string, unknown>;
  schedulers?: SchedulerSpec[];
}
interface ScheduleCase {
  name: string;
  optimizer: { type: 'SGD' | 'Adam'; lrs: number[]; options: Record<string, number> };
  scheduler: SchedulerSpec;
  steps: number;
  metrics?: number[];
  lrs: number[][];
  momenta: number[][];
}
const { cases } = JSON.parse(
  readFileSync(new URL('../fixtures/optim/schedules.json', import.meta.url), 'utf8'),
) as { cases: ScheduleCase[] };

type AnyOptimizer = Optimizer<OptimizerOptions>;
type Schedule = LRScheduler & { step(metric?: number): void };

function makeOptimizer(spec: ScheduleCase['optimizer']): AnyOptimizer {
  const groups = spec.lrs.map((lr, i) => ({
    params: [zeros([i + 2], { requiresGrad: true })],
    lr,
  }));
  return spec.type === 'SGD'
    ? new SGD(groups, { lr: 0.5, ...spec.options })
    : new Adam(groups, spec.options);
}

function makeScheduler(opt: AnyOptimizer, spec: SchedulerSpec): Schedule {
  const o = spec.options as never;
  switch (spec.type) {
    case 'StepLR':
      return new StepLR(opt, o);
    case 'MultiStepLR':
      return new MultiStepLR(opt, o);
    case 'ExponentialLR':
      return new ExponentialLR(opt, o);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, o);
    case 'CosineAnnealingWarmRestarts':
      return new CosineAnnealingWarmRestarts(opt, o);
    case 'OneCycleLR':
      return new OneCycleLR(opt, o);
    case 'LinearLR':
      return new LinearLR(opt, o);
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(opt, o);
    case 'SequentialLR': {
      const schedulers = spec.schedulers!.map((child) => makeScheduler(opt, child));
      return new SequentialLR(opt, { ...(spec.options as { milestones: number[] }), schedulers });
    }
  }
  throw new Error(`no scheduler ${spec.type}`);
}

function momenta(opt: AnyOptimizer): number[] {
  return opt.paramGroups.map((g) => {
    const group = g as { betas?: number[]; momentum?: number };
    return group.betas ? group.betas[0] : group.momentum!;
  });
}

function assertClose(actual: number[], expected: number[], what: string): void {
  actual.forEach((a, i) =>
    assert.ok(
      Math.abs(a - expected[i]) <= 1e-9 * Math.abs(expected[i]),
      `${what}[${i}]: ${a} vs PyTorch ${expected[i]}`,
    ),
  );
}

describe('schedules match PyTorch 1.13', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.scheduler.type} ${JSON.stringify(c.scheduler.options)}`, () => {
      const opt = makeOptimizer(c.optimizer);
      const schedule = makeScheduler(opt, c.scheduler);
      const check = (step: number) => {
        assertClose(
          opt.paramGroups.map((g) => g.lr),
          c.lrs[step],
          `lr after step ${step}`,
        );
        assertClose(schedule.getLastLr(), c.lrs[step], `getLastLr() after step ${step}`);
        assertClose(momenta(opt), c.momenta[step], `momentum after step ${step}`);
      };
      check(0);
      for (let step = 1; step <= c.steps; step++) {
        schedule.step(c.metrics?.[step - 1]);
        check(step);
      }
    });
  }
});

describe('schedule stateDict', () => {
  /** Each step's lrs (and momenta), from construction on; `from` resumes from a saved run. */
  function run(c: ScheduleCase, steps: number, from?: { groups: unknown; schedule: unknown }) {
    const opt = makeOptimizer(c.optimizer);
    const schedule = makeScheduler(opt, c.scheduler);
    if (from) {
      opt.loadStateDict({
        state: new Map(),
        paramGroups: from.groups as OptimizerStateDict['paramGroups'],
      });
      schedule.loadStateDict(from.schedule as SchedulerStateDict);
    }
    const trace = [[...schedule.getLastLr(), ...momenta(opt)]];
    const start = from ? (from.schedule as SchedulerStateDict).lastEpoch : 0;
    for (let step = start + 1; step <= steps; step++) {
      schedule.step(c.metrics?.[step - 1]);
      trace.push([...opt.paramGroups.map((g) => g.lr), ...momenta(opt)]);
    }
    // Through JSON, as a checkpoint would store it.
    const saved = JSON.parse(
      JSON.stringify({ groups: opt.stateDict().paramGroups, schedule: schedule.stateDict() }),
    );
    return { trace, saved };
  }

  for (const c of cases) {
    it(`${c.name}: 12 steps, save, resume on a fresh optimizer and schedule = 30 straight, bit for bit`, () => {
      const straight = run(c, c.steps).trace;
      const resumed = run(c, c.steps, run(c, 12).saved).trace;
      assert.deepEqual(resumed, straight.slice(12));
    });
  }
});

describe('LRScheduler', () => {
  const sgd = () => new SGD([zeros([2], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 });

  it('records initialLr on the groups; a second schedule starts from it, not from the changed lr', () => {
    const opt = sgd();
    new LinearLR(opt, { startFactor: 0.5 });
    assert.equal(opt.paramGroups[0].initialLr, 0.1);
    assert.equal(opt.paramGroups[0].lr, 0.05);
    assert.deepEqual(new ExponentialLR(opt, { gamma: 0.5 }).baseLrs, [0.1]);
  });

  it('restart() goes back to epoch 0: what follows is a fresh schedule', () => {
    const makers: ((opt: AnyOptimizer) => LRScheduler)[] = [
      (opt) => new StepLR(opt, { stepSize: 3, gamma: 0.5 }),
      (opt) => new MultiStepLR(opt, { milestones: [2, 4] }),
      (opt) => new ExponentialLR(opt, { gamma: 0.9 }),
      (opt) => new CosineAnnealingLR(opt, { TMax: 5, etaMin: 0.01 }),
      (opt) => new CosineAnnealingWarmRestarts(opt, { T0: 2, TMult: 2 }),
      (opt) => new OneCycleLR(opt, { maxLr: 1, totalSteps: 20 }),
      (opt) => new LinearLR(opt, { startFactor: 0.2, totalIters: 4 }),
      (opt) =>
        new SequentialLR(opt, {
          schedulers: [
            new LinearLR(opt, { totalIters: 2 }),
            new CosineAnnealingWarmRestarts(opt, { T0: 2, TMult: 3 }),
          ],
          milestones: [2],
        }),
    ];
    for (const make of makers) {
      // The rates and momenta now and after each of 10 steps.
      const trace = (schedule: LRScheduler, opt: AnyOptimizer) =>
        Array.from({ length: 11 }, (_, i) => {
          if (i > 0) schedule.step();
          return [...schedule.getLastLr(), ...momenta(opt)];
        });
      const used = sgd();
      const schedule = make(used);
      for (let i = 0; i < 9; i++) schedule.step();
      schedule.restart();
      const fresh = sgd();
      assert.deepEqual(trace(schedule, used), trace(make(fresh), fresh), schedule.constructor.name);
    }
  });

  it('getLastLr returns a copy', () => {
    const schedule = new StepLR(sgd(), { stepSize: 2 });
    schedule.getLastLr()[0] = 7;
    assert.deepEqual(schedule.getLastLr(), [0.1]);
  });

  it('ReduceLROnPlateau saves "no best yet" as null (JSON has no Infinity)', () => {
    const schedule = new ReduceLROnPlateau(sgd(), { mode: 'max' });
    const saved = JSON.parse(JSON.stringify(schedule.stateDict())) as SchedulerStateDict;
    assert.equal(saved.best, null);
    schedule.step(0.5);
    schedule.loadStateDict(saved);
    assert.equal(schedule.best, -Infinity);
  });

  it('explains bad arguments', () => {
    const opt = sgd();
    const cases: [() => unknown, RegExp][] = [
      [
        () => new StepLR(opt, { stepSize: 0 }),
        /StepLR: stepSize must be a positive integer, got 0/,
      ],
      [
        () => new MultiStepLR(opt, { milestones: [3, 1.5] }),
        /MultiStepLR: each milestone must be a positive integer, got 1.5/,
      ],
      [() => new CosineAnnealingLR(opt, { TMax: 0 }), /TMax must be > 0/],
      [
        () => new CosineAnnealingWarmRestarts(opt, { T0: 5, TMult: 0 }),
        /TMult must be an integer >= 1, got 0/,
      ],
      [
        () => new LinearLR(opt, { startFactor: 0 }),
        /LinearLR: startFactor must be in \(0, 1\], got 0/,
      ],
      [
        () => new OneCycleLR(opt, { maxLr: 1 }),
        /OneCycleLR: give totalSteps, or epochs and stepsPerEpoch/,
      ],
      [
        () => new OneCycleLR(opt, { maxLr: [1, 2], totalSteps: 10 }),
        /maxLr has 2 values but the optimizer has 1 parameter groups/,
      ],
      [
        () => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as 'cos' }),
        /annealStrategy must be 'cos' or 'linear'/,
      ],
      [
        () =>
          new OneCycleLR(new Adagrad([zeros([1], { requiresGrad: true })]), {
            maxLr: 1,
            totalSteps: 10,
          }),
        /cycleMomentum needs an optimizer with momentum or betas; Adagrad has neither/,
      ],
      [
        () => new ReduceLROnPlateau(opt, { factor: 1 }),
        /ReduceLROnPlateau: factor must be < 1, got 1/,
      ],
      [() => new ReduceLROnPlateau(opt, { mode: 'low' as 'min' }), /mode must be 'min' or 'max'/],
      [() => new ReduceLROnPlateau(opt).step(), /step\(metric\) needs the monitored number/],
      [
        () =>
          new SequentialLR(opt, {
            schedulers: [new StepLR(opt, { stepSize: 2 })],
            milestones: [3],
          }),
        /1 schedulers need 0 milestones, got 1/,
      ],
      [
        () =>
          new SequentialLR(opt, {
            schedulers: [new StepLR(sgd(), { stepSize: 2 })],
            milestones: [],
          }),
        /schedulers\[0\] was built on a different optimizer/,
      ],
      [
        () => new SequentialLR(opt, { schedulers: [new ReduceLROnPlateau(opt)], milestones: [] }),
        /schedulers\[0\] is a ReduceLROnPlateau/,
      ],
      [
        () =>
          new SequentialLR(opt, {
            schedulers: [
              new StepLR(opt, { stepSize: 2 }),
              new StepLR(opt, { stepSize: 2 }),
              new StepLR(opt, { stepSize: 2 }),
            ],
            milestones: [5, 5],
          }),
        /milestones must be increasing positive integers, got \[5, 5\]/,
      ],
    ];
    for (const [fn, message] of cases)
      assert.throws(fn, (e: unknown) => e instanceof FoveaError && message.test(e.message));
    const oneCycle = new OneCycleLR(opt, { maxLr: 1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) oneCycle.step();
    assert.throws(() => oneCycle.step(), /OneCycleLR: tried to step 5 times, but totalSteps is 3/);
    assert.throws(
      () => oneCycle.loadStateDict({ lastEpoch: 1, lastLr: [1, 2], baseLrs: [1] }),
      /saved 'lastLr' should hold 1 numbers/,
    );
  });
});
