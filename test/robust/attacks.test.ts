import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  argmax,
  Conv2d,
  crossEntropy,
  fgsm,
  Flatten,
  Generator,
  inputGradient,
  Linear,
  manualSeed,
  pgd,
  rand,
  ReLU,
  Sequential,
  tensor,
  uniform,
  type Tensor,
} from '../../src/index.js';

manualSeed(0);
const model = new Sequential(
  new Conv2d(1, 4, 3, { stride: 2 }),
  new ReLU(),
  new Flatten(),
  new Linear(4 * 5 * 5, 10),
);
const labels = tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' });
const sign = (g: Tensor) => Array.from(g.data, Math.sign);

/** Each sample's norm of adversarial − x: the largest |difference|, or the Euclidean length. */
function perturbationNorms(adversarial: Tensor, x: Tensor, norm: 'linf' | 'l2'): number[] {
  const d = x.size / x.shape[0];
  return Array.from({ length: x.shape[0] }, (_, n) => {
    let [largest, squares] = [0, 0];
    for (let i = n * d; i < (n + 1) * d; i++) {
      const diff = adversarial.data[i] - x.data[i];
      [largest, squares] = [Math.max(largest, Math.abs(diff)), squares + diff * diff];
    }
    return norm === 'linf' ? largest : Math.sqrt(squares);
  });
}

describe('fgsm', () => {
  const gradient = (x: Tensor) =>
    inputGradient(model, x, (o) => crossEntropy(o, labels, { reduction: 'sum' })).gradient;

  it('moves each pixel by eps · sign(gradient) where nothing is clamped', () => {
    const x = uniform([8, 1, 11, 11], 0.2, 0.8);
    const adversarial = fgsm(model, x, labels, { eps: 0.1 });
    const expected = sign(gradient(x)).map((s) => 0.1 * s);
    Array.from(adversarial.data).forEach((v, i) =>
      assert.ok(Math.abs(v - x.data[i] - expected[i]) < 1e-6, `pixel ${i}`),
    );
    const targeted = fgsm(model, x, labels, { eps: 0.1, targeted: true });
    Array.from(targeted.data).forEach((v, i) =>
      assert.ok(Math.abs(v - x.data[i] + expected[i]) < 1e-6, `pixel ${i}`),
    );
  });

  it('moves each sample by exactly eps in L2 with norm l2', () => {
    const x = rand([8, 1, 11, 11]);
    const adversarial = fgsm(model, x, labels, { eps: 0.5, norm: 'l2', bounds: null });
    perturbationNorms(adversarial, x, 'l2').forEach((d) =>
      assert.ok(Math.abs(d - 0.5) < 1e-5, `${d}`),
    );
  });

  it('stays within eps and within the bounds', () => {
    const x = rand([8, 1, 11, 11]);
    const adversarial = fgsm(model, x, labels, { eps: 0.3 });
    assert.ok(perturbationNorms(adversarial, x, 'linf').every((d) => d <= 0.3 + 1e-6));
    assert.ok(adversarial.data.every((v) => v >= 0 && v <= 1));
    const unclamped = fgsm(model, x, labels, { eps: 0.3, bounds: null });
    assert.ok(unclamped.data.some((v) => v < 0 || v > 1));
  });

  it('leaves the model’s gradients and mode alone', () => {
    model.zeroGrad();
    model.train();
    fgsm(model, rand([8, 1, 11, 11]), labels, { eps: 0.1 });
    assert.ok(model.training && model.parameters().every((p) => p.grad === null && p.requiresGrad));
  });
});

describe('pgd', () => {
  const x = rand([8, 1, 11, 11]);

  for (const norm of ['linf', 'l2'] as const) {
    for (const randomStart of [true, false]) {
      it(`stays in the ${norm} ball and the bounds (randomStart ${randomStart})`, () => {
        const eps = norm === 'linf' ? 0.05 : 0.5;
        const adversarial = pgd(model, x, labels, { eps, norm, randomStart, steps: 5 });
        const norms = perturbationNorms(adversarial, x, norm);
        assert.ok(
          norms.every((d) => d <= eps * (1 + 1e-5)),
          norms.join(', '),
        );
        assert.ok(
          norms.some((d) => d > eps / 2),
          'the attack moves',
        );
        assert.ok(adversarial.data.every((v) => v >= 0 && v <= 1));
      });
    }
  }

  it('raises the loss more than FGSM on the same budget', () => {
    const loss = (a: Tensor) => crossEntropy(model.forward(a), labels).item();
    const strong = pgd(model, x, labels, { eps: 0.1, steps: 10, generator: new Generator(1) });
    assert.ok(loss(strong) > loss(fgsm(model, x, labels, { eps: 0.1 })));
    assert.ok(loss(strong) > loss(x));
  });

  it('reaches the target class when targeted', () => {
    const target = tensor(Array(8).fill(3), { dtype: 'int32' });
    const adversarial = pgd(model, x, target, { eps: 2, steps: 30, targeted: true, bounds: null });
    const predicted = Array.from(argmax(model.forward(adversarial), 1).data);
    assert.deepEqual(predicted, Array(8).fill(3));
  });

  it('is repeatable with a seeded generator', () => {
    const run = () => pgd(model, x, labels, { eps: 0.1, steps: 2, generator: new Generator(5) });
    assert.deepEqual(Array.from(run().data), Array.from(run().data));
  });

  it('names the attack and the problem in its errors', () => {
    assert.throws(
      () => pgd(model, x, tensor([1, 2], { dtype: 'int32' }), { eps: 0.1 }),
      /pgd: target should hold one class per input, shape \[8\], got \[2\] for input \[8,1,11,11\]/,
    );
    assert.throws(
      () => fgsm(model, x, labels, { eps: -1 }),
      /fgsm: eps must be a finite number ≥ 0/,
    );
    assert.throws(
      () => pgd(model, x, labels, { eps: 0.1, norm: 'l1' as 'l2' }),
      /pgd: norm must be 'linf' or 'l2', got 'l1'/,
    );
    assert.throws(() => pgd(model, x, labels, { eps: 0.1, steps: 0 }), /pgd: steps must be/);
    assert.throws(
      () => fgsm(model, x, labels, { eps: 0.1, bounds: [1, 0] }),
      /fgsm: bounds must be/,
    );
  });
});
