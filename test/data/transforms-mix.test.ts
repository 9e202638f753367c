import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { betaSample, logGammaSample } from '../../src/data/transforms/beta.js';
import { cutmix, mixup } from '../../src/data/transforms/index.js';
import {
  arange,
  crossEntropy,
  Generator,
  rand,
  randn,
  tensor,
  type Batch,
} from '../../src/index.js';
import { throwsFovea } from './util.js';

/** N images [C, H, W] whose pixels all differ, and class targets. */
const batchOf = (N: number, C: number, H: number, W: number, classes: number[]): Batch => ({
  input: arange(0, N * C * H * W, 1, { dtype: 'float32' }).reshape([N, C, H, W]),
  target: tensor(classes, { dtype: 'int32' }),
});
const rows = (t: { toArray(): unknown }) => t.toArray() as number[][];
const moments = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length };
};

describe('Beta(α, α) sampling', () => {
  it('gamma and beta samples have the right mean and variance', () => {
    const g = new Generator(11);
    for (const shape of [0.3, 1, 4.5]) {
      const { mean, variance } = moments(
        Array.from({ length: 4000 }, () => Math.exp(logGammaSample(shape, g))),
      );
      // Gamma(k, 1): mean k, variance k.
      assert.ok(
        Math.abs(mean - shape) < 4 * Math.sqrt(shape / 4000),
        `Gamma(${shape}) mean ${mean}`,
      );
      assert.ok(Math.abs(variance / shape - 1) < 0.2, `Gamma(${shape}) variance ${variance}`);
    }
    for (const alpha of [0.2, 1, 5]) {
      const { mean, variance } = moments(
        Array.from({ length: 4000 }, () => betaSample(alpha, alpha, g)),
      );
      assert.ok(Math.abs(mean - 0.5) < 0.025, `Beta(${alpha}) mean ${mean}`);
      const expected = 1 / (4 * (2 * alpha + 1));
      assert.ok(
        Math.abs(variance / expected - 1) < 0.1,
        `Beta(${alpha}) variance ${variance}, expected ${expected}`,
      );
    }
    // Tiny α puts λ at 0 or 1 without underflowing to NaN.
    const extreme = Array.from({ length: 200 }, () => betaSample(0.01, 0.01, g));
    assert.ok(extreme.every((v) => v >= 0 && v <= 1));
  });
});

describe('mixup', () => {
  it('blends each image and one-hot target with the previous one by the same λ', () => {
    const batch = batchOf(4, 1, 2, 2, [0, 1, 2, 1]);
    const out = mixup(batch, { alpha: 0.4, numClasses: 3, generator: new Generator(7) });
    const t = rows(out.target);
    t.forEach((r) => assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-6));
    // Sample 1 (class 1) is mixed with sample 0 (class 0): its row is [1 − λ, λ, 0].
    const lambda = t[1][1];
    assert.ok(lambda > 0 && lambda < 1 && Math.abs(t[1][0] - (1 - lambda)) < 1e-6);
    assert.deepEqual(
      t[0].map((v) => +v.toFixed(6)),
      [+lambda.toFixed(6), +(1 - lambda).toFixed(6), 0],
    );
    for (let n = 0; n < 4; n++)
      for (let k = 0; k < 4; k++) {
        const expected =
          lambda * batch.input.data[n * 4 + k] +
          (1 - lambda) * batch.input.data[((n + 3) % 4) * 4 + k];
        assert.ok(Math.abs(out.input.data[n * 4 + k] - expected) < 1e-4);
      }
    assert.deepEqual(rows(batch.input.reshape([4, 4]))[0], [0, 1, 2, 3], 'input untouched');
  });

  it('repeats with the seed, accepts probability targets, and feeds crossEntropy', () => {
    const batch = batchOf(3, 3, 4, 4, [2, 0, 1]);
    const run = (seed: number) => mixup(batch, { numClasses: 3, generator: new Generator(seed) });
    assert.deepEqual(run(1).input.toArray(), run(1).input.toArray());
    assert.notDeepEqual(run(1).input.toArray(), run(2).input.toArray());
    const twice = mixup(run(1), { numClasses: 3, generator: new Generator(3) });
    rows(twice.target).forEach((r) => assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-6));
    const loss = crossEntropy(randn([3, 3]), run(1).target).item();
    assert.ok(Number.isFinite(loss) && loss > 0);
    const double = mixup(
      {
        input: rand([2, 1, 2, 2], { dtype: 'float64' }),
        target: tensor([0, 1], { dtype: 'int32' }),
      },
      { numClasses: 2 },
    );
    assert.equal(double.target.dtype, 'float64');
  });

  it('refuses uint8 images, bad targets and bad options', () => {
    const batch = batchOf(2, 1, 2, 2, [0, 1]);
    throwsFovea(
      () =>
        mixup(
          { ...batch, input: tensor(new Uint8Array(8), { shape: [2, 1, 2, 2] }) },
          { numClasses: 2 },
        ),
      'mixup',
      /expected float images, got uint8 \(apply toFloat\(\) to the samples first\)/,
    );
    throwsFovea(
      () => mixup(batch, { numClasses: 1 }),
      'mixup',
      /target 1 is class 1, outside 0..0/,
    );
    throwsFovea(
      () => mixup(batch, { numClasses: 2, alpha: 0 }),
      'mixup',
      /alpha must be > 0, got 0/,
    );
    throwsFovea(
      () => mixup(batch, { numClasses: 2.5 }),
      'mixup',
      /numClasses must be a positive integer/,
    );
    throwsFovea(
      () => mixup({ ...batch, target: tensor([[0, 1, 0]]) }, { numClasses: 2 }),
      'mixup',
      /targets must be class indices \[2\] or probabilities \[2, 2\] for input \[2,1,2,2\], got shape \[1,3\]/,
    );
  });
});

describe('cutmix', () => {
  it('pastes one box from the previous image and weights targets by the pixels kept', () => {
    const batch = batchOf(4, 3, 8, 8, [0, 1, 2, 3]);
    const lambdas = new Set<number>();
    for (let seed = 0; seed < 30; seed++) {
      const out = cutmix(batch, { numClasses: 4, generator: new Generator(seed) });
      const t = rows(out.target);
      t.forEach((r) => assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-6));
      // The box: pixels of sample n that differ; the same box in every sample and channel.
      const changed = (n: number, c: number) =>
        Array.from({ length: 64 }, (_, i) => i).filter(
          (i) => out.input.data[(n * 3 + c) * 64 + i] !== batch.input.data[(n * 3 + c) * 64 + i],
        );
      const box = changed(0, 0);
      for (let n = 0; n < 4; n++)
        for (let c = 0; c < 3; c++) {
          assert.deepEqual(changed(n, c), box);
          const from = (((n + 3) % 4) * 3 + c) * 64;
          box.forEach((i) =>
            assert.equal(out.input.data[(n * 3 + c) * 64 + i], batch.input.data[from + i]),
          );
        }
      if (box.length > 0) {
        const [rowsOf, colsOf] = [
          new Set(box.map((i) => Math.floor(i / 8))),
          new Set(box.map((i) => i % 8)),
        ];
        assert.equal(rowsOf.size * colsOf.size, box.length, 'a rectangle');
      }
      // λ adjusted to the box: sample n keeps 1 − box/64 of its own class.
      const lambda = 1 - box.length / 64;
      t.forEach((r, n) => assert.ok(Math.abs(r[n] - lambda) < 1e-6));
      lambdas.add(lambda);
    }
    assert.ok(lambdas.size > 5);
  });

  it('keeps uint8 images uint8 and refuses non-image batches', () => {
    const input = tensor(
      Uint8Array.from({ length: 2 * 16 }, (_, i) => i),
      { shape: [2, 1, 4, 4] },
    );
    const out = cutmix(
      { input, target: tensor([0, 1], { dtype: 'int32' }) },
      { numClasses: 2, generator: new Generator(1) },
    );
    assert.equal(out.input.dtype, 'uint8');
    throwsFovea(
      () =>
        cutmix(
          { input: rand([2, 16]), target: tensor([0, 1], { dtype: 'int32' }) },
          { numClasses: 2 },
        ),
      'cutmix',
      /expected images \[N, C, H, W\], got shape \[2,16\]/,
    );
  });
});
