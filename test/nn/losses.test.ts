/**
 * The loss objects against PyTorch 1.13's loss modules (test/fixtures/nn/losses.json, made by
 * scripts/make-nn-layer-fixtures.py): each PyTorch constructor call maps to the fovea loss below,
 * which must give PyTorch's value on the stored input and target.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as nn from '../../src/nn/index.js';
import { randn, tensor, type DType } from '../../src/index.js';

interface StoredTensor {
  shape: number[];
  dtype: DType;
  values: number[];
}

interface LossFixture {
  expr: string;
  repr: string;
  input: StoredTensor;
  target: StoredTensor;
  output: { shape: number[]; values: number[] };
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/nn/losses.json', import.meta.url), 'utf8'),
) as { cases: LossFixture[] };

const weights = (...w: number[]) => tensor(w);

const losses: Record<string, () => nn.Loss<object>> = {
  'CrossEntropyLoss()': () => new nn.CrossEntropyLoss(),
  "CrossEntropyLoss(label_smoothing=0.1, reduction='sum')": () =>
    new nn.CrossEntropyLoss({ labelSmoothing: 0.1, reduction: 'sum' }),
  'CrossEntropyLoss(weight=tensor([1.0, 2.0, 0.5]), ignore_index=1)': () =>
    new nn.CrossEntropyLoss({ weight: weights(1, 2, 0.5), ignoreIndex: 1 }),
  "CrossEntropyLoss(reduction='none')": () => new nn.CrossEntropyLoss({ reduction: 'none' }),
  'NLLLoss()': () => new nn.NLLLoss(),
  "NLLLoss(weight=tensor([0.5, 1.0, 2.0]), reduction='sum')": () =>
    new nn.NLLLoss({ weight: weights(0.5, 1, 2), reduction: 'sum' }),
  'MSELoss()': () => new nn.MSELoss(),
  "MSELoss(reduction='sum')": () => new nn.MSELoss({ reduction: 'sum' }),
  'L1Loss()': () => new nn.L1Loss(),
  "L1Loss(reduction='none')": () => new nn.L1Loss({ reduction: 'none' }),
  'SmoothL1Loss()': () => new nn.SmoothL1Loss(),
  'SmoothL1Loss(beta=0.5)': () => new nn.SmoothL1Loss({ beta: 0.5 }),
  'HuberLoss()': () => new nn.HuberLoss(),
  "HuberLoss(delta=0.5, reduction='sum')": () => new nn.HuberLoss({ delta: 0.5, reduction: 'sum' }),
  'BCELoss()': () => new nn.BCELoss(),
  'BCELoss(weight=tensor([1.0, 2.0, 1.0, 0.5, 3.0]))': () =>
    new nn.BCELoss({ weight: weights(1, 2, 1, 0.5, 3) }),
  'BCEWithLogitsLoss()': () => new nn.BCEWithLogitsLoss(),
  "BCEWithLogitsLoss(pos_weight=tensor([1.0, 2.0, 1.0, 0.5, 3.0]), reduction='none')": () =>
    new nn.BCEWithLogitsLoss({ posWeight: weights(1, 2, 1, 0.5, 3), reduction: 'none' }),
};

const load = (t: StoredTensor) => tensor(t.values, { shape: t.shape, dtype: t.dtype });

describe('loss objects against PyTorch', () => {
  it('covers every loss of the table, and the table every fixture case', () => {
    const exprs = new Set(fixture.cases.map((c) => c.expr));
    assert.deepEqual(new Set(Object.keys(losses)), exprs);
  });

  for (const c of fixture.cases) {
    const label = `${c.expr} on ${c.target.dtype === 'int32' ? 'class indices' : 'values'} [${c.input.shape}]`;
    it(label, () => {
      const out = losses[c.expr]().forward(load(c.input), load(c.target));
      assert.deepEqual(out.shape, c.output.shape);
      c.output.values.forEach((e, i) => {
        const a = out.data[i];
        assert.ok(Math.abs(a - e) <= 1e-5 + 1e-4 * Math.abs(e), `[${i}]: ${a} vs ${e}`);
      });
    });
  }

  it("prints as PyTorch's repr, with no arguments", () => {
    for (const c of fixture.cases) assert.equal(losses[c.expr]().toString(), c.repr);
  });

  it('keeps its options and differentiates through forward', () => {
    const criterion = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
    assert.deepEqual(criterion.options, { labelSmoothing: 0.1 });
    const logits = randn([4, 3]).requireGrad();
    criterion.forward(logits, tensor([0, 2, 1, 0], { dtype: 'int32' })).backward();
    assert.deepEqual(logits.grad?.shape, [4, 3]);
  });
});
