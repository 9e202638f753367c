import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { add, isGradEnabled, mul, noGrad, randn, sum, tensor } from '../../src/index.js';

describe('backward', () => {
  it('accumulates into .grad across calls until zeroed', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    sum(mul(x, 2)).backward();
    sum(mul(x, 2)).backward();
    assert.deepEqual(x.grad!.toArray(), [4, 4, 4]);
    x.zeroGrad();
    sum(x).backward();
    assert.deepEqual(x.grad!.toArray(), [1, 1, 1]);
  });

  it('sums gradients over every path (a diamond graph)', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = mul(x, x); // used twice below
    add(mul(y, 3), y).sum().backward(); // 4x² → 8x
    assert.deepEqual(x.grad!.toArray(), [16]);
  });

  it('takes an explicit upstream gradient for non-scalar outputs', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    mul(x, x).backward(
      tensor([
        [1, 0],
        [0, 2],
      ]),
    );
    assert.deepEqual(x.grad!.toArray(), [
      [2, 0],
      [0, 16],
    ]);
    assert.throws(
      () => mul(x, x).backward(),
      /backward: implicit gradient only for a one-element output; got shape \[2,2\]/,
    );
    assert.throws(
      () => mul(x, x).backward(tensor([1, 2])),
      /backward: gradient has shape \[2\] but the tensor has shape \[2,2\]/,
    );
  });

  it('records nothing under noGrad and stops at detach', () => {
    const x = randn([3], { requiresGrad: true });
    const y = noGrad(() => {
      assert.equal(isGradEnabled(), false);
      return mul(x, 2);
    });
    assert.equal(isGradEnabled(), true);
    assert.equal(y.requiresGrad, false);
    assert.throws(() => sum(y).backward(), /backward: this tensor does not require grad/);
    const z = add(mul(x.detach(), 5), x);
    sum(z).backward();
    assert.deepEqual(Array.from(x.grad!.data), [1, 1, 1]);
  });

  it('restores grad mode when the no-grad body throws', () => {
    assert.throws(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    );
    assert.equal(isGradEnabled(), true);
  });

  it('handles deep graphs without overflowing the stack', () => {
    const x = tensor([1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20000; i++) y = add(y, 1);
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [1]);
  });

  it('refuses gradients on integer tensors', () => {
    assert.throws(
      () => tensor([1, 2], { dtype: 'int32', requiresGrad: true }),
      /requireGrad: only floating-point tensors can require gradients, this one is int32/,
    );
  });
});

describe('gradient storage', () => {
  it('gives every leaf a .grad of its own', () => {
    const a = tensor([3, 0], { requiresGrad: true });
    const b = tensor([0, 4], { requiresGrad: true });
    sum(add(a, b)).backward();
    assert.notEqual(a.grad!.data, b.grad!.data);
    const upstream = tensor([1, 1]);
    a.zeroGrad();
    a.backward(upstream);
    assert.notEqual(a.grad!.data, upstream.data);
  });
});
