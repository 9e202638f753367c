import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  Adagrad,
  Adam,
  AdamW,
  FoveaError,
  mul,
  RMSprop,
  SGD,
  sub,
  sum,
  tensor,
  Tensor,
  type DType,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
} from '../../src/index.js';

// Reference numbers from PyTorch 1.13: scripts/make-optim-fixtures.py.
interface GroupSpec extends Record<string, unknown> {
  params: number[];
}
interface OptimizerCase {
  name: string;
  optimizer: Kind;
  options: Record<string, unknown>;
  groups?: GroupSpec[];
  dtype: DType;
  steps: number[][][];
}
interface Fixture {
  problem: { shapes: number[][]; init: number[][]; a: number[][]; c: number[][] };
  cases: OptimizerCase[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/optim/optimizers.json', import.meta.url), 'utf8'),
) as Fixture;
const { problem } = fixture;

type AnyOptimizer = Optimizer<OptimizerOptions>;
type Kind = 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
const constructors = { SGD, Adam, AdamW, RMSprop, Adagrad } as unknown as Record<
  Kind,
  new (params: unknown, options: unknown) => AnyOptimizer
>;

function build(kind: Kind, params: Tensor[], options: object, groups?: GroupSpec[]): AnyOptimizer {
  const spec = groups
    ? groups.map(({ params: indices, ...rest }) => ({
        ...rest,
        params: indices.map((i) => params[i]),
      }))
    : params;
  return new constructors[kind](spec, options);
}

/** The problem's parameters, and a function that sets their gradients a·(p − c). */
function makeProblem(dtype: DType): { params: Tensor[]; setGrads: () => void } {
  const params = problem.init.map((v, i) =>
    tensor(v, { dtype, shape: problem.shapes[i], requiresGrad: true }),
  );
  const a = problem.a.map((v, i) => tensor(v, { dtype, shape: problem.shapes[i] }));
  const c = problem.c.map((v, i) => tensor(v, { dtype, shape: problem.shapes[i] }));
  const setGrads = () =>
    params.forEach((p, i) => {
      p.grad = mul(a[i], sub(p.detach(), c[i]));
    });
  return { params, setGrads };
}

/** Largest |actual − expected| / |expected| over every element of every step. */
function maxRelativeError(c: OptimizerCase): number {
  const { params, setGrads } = makeProblem(c.dtype);
  const opt = build(c.optimizer, params, c.options, c.groups);
  let worst = 0;
  for (const expected of c.steps) {
    setGrads();
    opt.step();
    params.forEach((p, i) =>
      expected[i].forEach((e, j) => {
        worst = Math.max(worst, Math.abs(p.data[j] - e) / Math.abs(e));
      }),
    );
  }
  return worst;
}

// float32 is the brief's bar; float64 shows the formulas are PyTorch's to rounding, which catches
// slips (where eps sits, which step dampening starts) far below float32's resolution.
const tolerance: Record<DType, number> = { float32: 1e-6, float64: 1e-14, int32: 0, uint8: 0 };

describe('optimizers match PyTorch 1.13 over 10 steps', () => {
  for (const c of fixture.cases) {
    it(`${c.name} (${c.optimizer} ${JSON.stringify(c.groups ?? c.options)})`, () => {
      const error = maxRelativeError(c);
      assert.ok(error <= tolerance[c.dtype], `max relative error ${error.toExponential(2)}`);
    });
  }
});

/** Copies of a state dict's tensors and a JSON round trip of its group options: a checkpoint. */
function checkpoint(saved: OptimizerStateDict): OptimizerStateDict {
  const state = new Map(
    [...saved.state].map(([i, s]) => [
      i,
      Object.fromEntries(
        Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? v.clone() : v]),
      ),
    ]),
  );
  return { state, paramGroups: JSON.parse(JSON.stringify(saved.paramGroups)) };
}

describe('stateDict / loadStateDict', () => {
  const richOptions: [Kind, object, GroupSpec[]?][] = [
    ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1 }],
    [
      'SGD',
      { lr: 0.1, momentum: 0.9, dampening: 0.3 },
      [{ params: [0], lr: 0.01 }, { params: [1] }],
    ],
    ['Adam', { lr: 0.1, amsgrad: true, weightDecay: 0.1 }],
    ['AdamW', { lr: 0.1, betas: [0.5, 0.7] }, [{ params: [1], amsgrad: true }, { params: [0] }]],
    ['RMSprop', { lr: 0.01, centered: true, momentum: 0.9, weightDecay: 0.1 }],
    ['Adagrad', { lr: 0.5, lrDecay: 0.1, initialAccumulatorValue: 0.5 }],
  ];
  for (const [kind, options, groups] of richOptions) {
    it(`${kind} ${JSON.stringify(options)}: 5 steps, save, load into a fresh optimizer, 5 more = 10 straight, bit for bit`, () => {
      const straight = makeProblem('float32');
      const reference = build(kind, straight.params, options, groups);
      for (let i = 0; i < 10; i++) {
        straight.setGrads();
        reference.step();
      }

      const first = makeProblem('float32');
      const before = build(kind, first.params, options, groups);
      for (let i = 0; i < 5; i++) {
        first.setGrads();
        before.step();
      }
      const saved = checkpoint(before.stateDict());

      const second = makeProblem('float32');
      second.params.forEach((p, i) => p.data.set(first.params[i].data));
      // Built with other options: loading must bring back the saved ones.
      const after = build(
        kind,
        second.params,
        { lr: 123 },
        groups && groups.map((g) => ({ params: g.params })),
      );
      after.loadStateDict(saved);
      assert.deepEqual(
        after.paramGroups.map((g) => g.lr),
        before.paramGroups.map((g) => g.lr),
      );
      for (let i = 0; i < 5; i++) {
        second.setGrads();
        after.step();
      }
      second.params.forEach((p, i) => assert.deepEqual(p.data, straight.params[i].data));
    });
  }

  it('lays out state by parameter index and groups with params as indices, JSON-serialisable', () => {
    const { params, setGrads } = makeProblem('float32');
    const opt = new Adam([{ params: [params[1]] }, { params: [params[0]], lr: 0.5 }], {
      amsgrad: true,
    });
    setGrads();
    opt.step();
    const saved = opt.stateDict();
    assert.deepEqual([...saved.state.keys()].sort(), [0, 1]);
    assert.deepEqual(Object.keys(saved.state.get(0)!).sort(), [
      'expAvg',
      'expAvgSq',
      'maxExpAvgSq',
      'step',
    ]);
    assert.equal(saved.state.get(0)!.step, 1);
    assert.deepEqual((saved.state.get(1)!.expAvg as Tensor).shape, [2, 3]);
    assert.deepEqual(JSON.parse(JSON.stringify(saved.paramGroups)), [
      {
        lr: 0.001,
        betas: [0.9, 0.999],
        eps: 1e-8,
        weightDecay: 0,
        amsgrad: true,
        maximize: false,
        params: [0],
      },
      {
        lr: 0.5,
        betas: [0.9, 0.999],
        eps: 1e-8,
        weightDecay: 0,
        amsgrad: true,
        maximize: false,
        params: [1],
      },
    ]);
  });

  it('copies on load, so the saved state and the optimizer never share storage', () => {
    const { params, setGrads } = makeProblem('float32');
    const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
    setGrads();
    opt.step();
    const saved = opt.stateDict();
    const other = new SGD(params, { lr: 0.1 });
    other.loadStateDict(saved);
    const buffer = saved.state.get(0)!.momentumBuffer as Tensor;
    const copy = Float32Array.from(buffer.data);
    setGrads();
    other.step();
    assert.deepEqual(buffer.data, copy);
    saved.paramGroups[0].lr = 5;
    assert.equal(other.paramGroups[0].lr, 0.1);
  });

  it('refuses state that does not fit the optimizer, naming the problem', () => {
    const { params, setGrads } = makeProblem('float32');
    const sgd = new SGD(params, { lr: 0.1, momentum: 0.9 });
    setGrads();
    sgd.step();
    const adam = new Adam(params);
    assert.throws(() => adam.loadStateDict(sgd.stateDict()), /group 0 has no 'betas'/);
    const saved = sgd.stateDict();
    saved.paramGroups = [
      { ...saved.paramGroups[0], params: [0] },
      { ...saved.paramGroups[0], params: [1] },
    ];
    assert.throws(() => sgd.loadStateDict(saved), /2 parameter groups but the optimizer has 1/);
    const wrongShape = sgd.stateDict();
    wrongShape.state.set(0, { momentumBuffer: tensor([1, 2]) });
    assert.throws(
      () => sgd.loadStateDict(wrongShape),
      /'momentumBuffer' of parameter 0 should be a tensor of shape \[2,3\], got shape \[2\]/,
    );
    const adamState = new Adam(params, { betas: [0.9, 0.99] });
    const withoutMoments = adamState.stateDict();
    withoutMoments.state.set(1, { step: 3 });
    assert.throws(
      () => adamState.loadStateDict(withoutMoments),
      /state of parameter 1 has no 'expAvg'/,
    );
  });
});

describe('Optimizer', () => {
  it('skips parameters without a gradient or that do not require grad, and makes no state for them', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const frozen = tensor([5, 6], { requiresGrad: true });
    frozen.grad = tensor([1, 1]);
    frozen.requiresGrad = false;
    const opt = new Adam([a, b, frozen], { lr: 0.1 });
    a.grad = tensor([1, -1]);
    opt.step();
    assert.deepEqual(b.toArray(), [3, 4]);
    assert.deepEqual(frozen.toArray(), [5, 6]);
    assert.equal(opt.state.size, 1);
    assert.ok(Math.abs((a.data[0] as number) - 0.9) < 1e-6);
  });

  it('trains through autograd: every optimizer lowers a quadratic loss', () => {
    const target = tensor([1, -2, 3]);
    for (const make of [
      (p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9 }),
      (p: Tensor[]) => new Adam(p, { lr: 0.1 }),
      (p: Tensor[]) => new AdamW(p, { lr: 0.1 }),
      (p: Tensor[]) => new RMSprop(p, { lr: 0.01 }),
      (p: Tensor[]) => new Adagrad(p, { lr: 0.5 }),
    ]) {
      const x = tensor([0, 0, 0], { requiresGrad: true });
      const opt = make([x]);
      const loss = () => sum(mul(sub(x, target), sub(x, target)));
      const start = loss().item();
      for (let i = 0; i < 20; i++) {
        opt.zeroGrad();
        loss().backward();
        opt.step();
      }
      assert.ok(loss().item() < start / 2, `${opt.constructor.name}: ${start} → ${loss().item()}`);
    }
  });

  it('fills each group from the defaults; a group overrides only what it sets', () => {
    const [backbone, head, extra] = [
      tensor([1], { requiresGrad: true }),
      tensor([2], { requiresGrad: true }),
      tensor([3], { requiresGrad: true }),
    ];
    const opt = new AdamW([{ params: [backbone], lr: 1e-4 }, { params: [head] }], {
      lr: 1e-3,
      weightDecay: 0.05,
    });
    opt.addParamGroup({ params: [extra], betas: [0.5, 0.6] });
    assert.deepEqual(
      opt.paramGroups.map((g) => [g.lr, g.weightDecay, g.betas]),
      [
        [1e-4, 0.05, [0.9, 0.999]],
        [1e-3, 0.05, [0.9, 0.999]],
        [1e-3, 0.05, [0.5, 0.6]],
      ],
    );
    assert.notEqual(
      opt.paramGroups[0].betas,
      opt.paramGroups[1].betas,
      'groups must not share arrays',
    );
    assert.equal(new AdamW([head]).defaults.weightDecay, 1e-2);
    assert.equal(new Adam([head]).defaults.weightDecay, 0);
  });

  it('zeroGrad clears every gradient', () => {
    const { params, setGrads } = makeProblem('float32');
    const opt = new SGD(params, { lr: 0.1 });
    setGrads();
    opt.zeroGrad();
    assert.ok(params.every((p) => p.grad === null));
  });

  it('explains bad arguments', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const cases: [() => unknown, RegExp][] = [
      [() => new SGD([p], {} as { lr: number }), /SGD: lr is required/],
      [() => new SGD([p], { lr: -1 }), /SGD: lr must be >= 0, got -1/],
      [
        () => new SGD([p], { lr: 0.1, nesterov: true }),
        /Nesterov momentum needs momentum > 0 and dampening 0/,
      ],
      [
        () => new SGD([{ params: [p], momentum: -0.5 }], { lr: 0.1 }),
        /momentum must be >= 0, got -0.5/,
      ],
      [() => new Adam([]), /Adam: got an empty parameter list/],
      [() => new Adam([p, p]), /params\[1\] appears more than once/],
      [() => new Adam([{ params: [p] }, { params: [p] }]), /appears more than once/],
      [() => new Adam([p, { params: [p] }] as Tensor[]), /all tensors or all parameter groups/],
      [() => new Adam([mul(p, 2)]), /not a leaf tensor/],
      [() => new Adam([tensor([1], { dtype: 'int32' })]), /dtype int32; only float tensors/],
      [() => new Adam([p], { betas: [0.9, 1] }), /AdamW?: betas must be two numbers in \[0, 1\)/],
      [
        () => new AdamW([p], { momentum: 0.9 } as object),
        /AdamW: unknown option 'momentum'; the options are lr, betas/,
      ],
      [() => new RMSprop([p], { alpha: -1 }), /RMSprop: alpha must be >= 0/],
      [() => new Adagrad([p], { lrDecay: -1 }), /Adagrad: lrDecay must be >= 0/],
    ];
    for (const [fn, message] of cases)
      assert.throws(fn, (e: unknown) => e instanceof FoveaError && message.test(e.message));
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = tensor([1, 2, 3]);
    assert.throws(
      () => opt.step(),
      /SGD: a parameter of shape \[2\] has a gradient of shape \[3\]/,
    );
  });
});
