import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  add,
  clipGradNorm,
  clipGradValue,
  FoveaError,
  sum,
  tensor,
  zeros,
  type Tensor,
} from '../../src/index.js';

// Reference numbers from PyTorch 1.13: scripts/make-optim-fixtures.py.
interface ClipCase {
  name: string;
  kind: 'norm' | 'value';
  options: { maxNorm?: number; normType?: number | 'inf'; clipValue?: number };
  totalNorm?: number;
  grads: number[][];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/optim/clip.json', import.meta.url), 'utf8'),
) as {
  shapes: number[][];
  grads: number[][];
  cases: ClipCase[];
};

function close(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-6 * Math.abs(expected),
    `${what}: ${actual} vs PyTorch ${expected}`,
  );
}

describe('gradient clipping matches PyTorch 1.13', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: ${JSON.stringify(c.options)}`, () => {
      const params = fixture.shapes.map((shape, i) => {
        const p = zeros(shape, { requiresGrad: true });
        p.grad = tensor(fixture.grads[i], { shape });
        return p;
      });
      const withoutGrad = zeros([2], { requiresGrad: true });
      const all = [...params, withoutGrad];
      if (c.kind === 'norm') {
        const normType = c.options.normType === 'inf' ? Infinity : c.options.normType;
        close(clipGradNorm(all, c.options.maxNorm!, { normType }), c.totalNorm!, 'total norm');
      } else {
        clipGradValue(all, c.options.clipValue!);
      }
      params.forEach((p, i) =>
        c.grads[i].forEach((g, j) => close(p.grad!.data[j], g, `grad ${i}[${j}]`)),
      );
      assert.equal(withoutGrad.grad, null);
    });
  }
});

describe('clipGradNorm / clipGradValue', () => {
  it('scales each gradient once even when autograd gave two parameters one gradient tensor', () => {
    const a = tensor([3, 0], { requiresGrad: true });
    const b = tensor([0, 4], { requiresGrad: true });
    sum(add(a, b)).backward(); // both gradients are [1, 1], possibly the same storage
    const norm = clipGradNorm([a, b], 1);
    close(norm, 2, 'norm');
    for (const p of [a, b]) p.grad!.data.forEach((g) => close(g, 0.5 / (1 + 5e-7), 'grad'));
    clipGradValue([a, b], 0.1);
    for (const p of [a, b])
      assert.deepEqual([...p.grad!.data], [Math.fround(0.1), Math.fround(0.1)]);
  });

  it('takes a single tensor; with no gradients the norm is 0', () => {
    const p = tensor([3, 4], { requiresGrad: true });
    assert.equal(clipGradNorm(p, 1), 0);
    p.grad = tensor([3, 4]);
    assert.equal(clipGradNorm(p, 10), 5);
    assert.deepEqual(p.grad.toArray(), [3, 4]);
  });

  it('a non-finite norm poisons the gradients as in PyTorch, or throws when asked', () => {
    const p: Tensor = tensor([1, 2], { requiresGrad: true });
    p.grad = tensor([NaN, 1]);
    assert.throws(
      () => clipGradNorm(p, 1, { errorIfNonfinite: true }),
      (e: unknown) =>
        e instanceof FoveaError &&
        /clipGradNorm: the total norm of the gradients is NaN/.test(e.message),
    );
    assert.ok(Number.isNaN(clipGradNorm(p, 1)));
    assert.ok([...p.grad.data].every(Number.isNaN));
  });

  it('explains bad arguments', () => {
    const p = tensor([1], { requiresGrad: true });
    assert.throws(
      () => clipGradNorm(p, 1, { normType: 0 }),
      /clipGradNorm: normType must be > 0 \(Infinity for the max norm\), got 0/,
    );
    assert.throws(() => clipGradValue(p, -1), /clipGradValue: clipValue must be >= 0, got -1/);
  });
});
