import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compose,
  computeMeanStd,
  normalize,
  randomCrop,
  randomHorizontalFlip,
  toFloat,
  type Transform,
} from '../../src/data/transforms/index.js';
import {
  DataLoader,
  defaultGenerator,
  Generator,
  rand,
  randint,
  tensor,
  TensorDataset,
  type Tensor,
} from '../../src/index.js';
import { throwsFovea } from './util.js';

const apply = (t: Transform, input: Tensor, seed = 0): Tensor =>
  t({ input, target: tensor(0) }, new Generator(seed)).input;
const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) =>
  Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${i}: ${v} vs ${b[i]}`));

describe('toFloat and normalize', () => {
  it('toFloat scales uint8 to [0, 1] as ToTensor, casts int32 and leaves floats alone', () => {
    const x = tensor(new Uint8Array([0, 51, 255, 102]), { shape: [2, 1, 2] });
    const out = apply(toFloat(), x);
    assert.equal(out.dtype, 'float32');
    near(out.data, [0, 0.2, 1, 0.4]);
    assert.deepEqual(Array.from(apply(toFloat({ scale: false }), x).data), [0, 51, 255, 102]);
    assert.deepEqual(Array.from(apply(toFloat(), tensor([[[7]]], { dtype: 'int32' })).data), [7]);
    const float = { input: tensor([[[0.5, 2]]], { dtype: 'float64' }), target: tensor(1) };
    assert.equal(toFloat()(float, new Generator(0)), float);
  });

  it('normalize standardises each channel, or all with one mean and std', () => {
    const x = apply(toFloat(), tensor(new Uint8Array([0, 51, 255, 102]), { shape: [2, 1, 2] }));
    near(apply(normalize({ mean: [0.1, 0.5], std: [0.1, 0.5] }), x).data, [-1, 1, 1, -0.2]);
    near(apply(normalize({ mean: [0.5], std: [0.5] }), x).data, [-1, -0.6, 1, -0.2]);
    const double = apply(normalize({ mean: [1], std: [2] }), tensor([[[3]]], { dtype: 'float64' }));
    assert.equal(double.dtype, 'float64');
    assert.deepEqual(Array.from(double.data), [1]);
  });

  it('normalize explains what is wrong', () => {
    const x = rand([2, 1, 2]);
    throwsFovea(
      () => apply(normalize({ mean: [0, 0, 0], std: [1, 1, 1] }), x),
      'normalize',
      /image of shape \[2,1,2\] has 2 channels but mean has 3 entries and std 3/,
    );
    throwsFovea(() => normalize({ mean: [0], std: [0] }), 'normalize', /std > 0/);
    throwsFovea(
      () =>
        apply(normalize({ mean: [0], std: [1] }), tensor(new Uint8Array(2), { shape: [1, 1, 2] })),
      'normalize',
      /expected a float image, got uint8 \(apply toFloat\(\) first\)/,
    );
  });

  it('compose applies its transforms in order, and a loader repeats them with its seed', () => {
    const x = tensor(new Uint8Array([0, 255]), { shape: [1, 1, 2] });
    near(apply(compose([toFloat(), normalize({ mean: [0.5], std: [0.5] })]), x).data, [-1, 1]);
    near(apply(compose([toFloat({ scale: false }), toFloat()]), x).data, [0, 255]);
    const images = randint(0, 256, [20, 1, 6, 6], { dtype: 'uint8', generator: new Generator(1) });
    const data = new TensorDataset(images, randint(0, 10, [20], { dtype: 'int32' }), {
      transform: compose([randomCrop(4, { padding: 1 }), randomHorizontalFlip(), toFloat()]),
    });
    const epoch = (seed: number) =>
      [
        ...new DataLoader(data, { batchSize: 8, shuffle: true, generator: new Generator(seed) }),
      ].map((b) => Array.from(b.input.data));
    assert.deepEqual(epoch(3), epoch(3));
    assert.notDeepEqual(epoch(3), epoch(4));
    assert.deepEqual(epoch(3)[0].length, 8 * 16);
  });
});

describe('computeMeanStd', () => {
  it('gives the per-channel statistics of known data', () => {
    const floats = new TensorDataset(
      tensor([
        [[[0, 2]], [[1, 1]]],
        [[[4, 6]], [[1, 1]]],
      ]),
      tensor([0, 1], { dtype: 'int32' }),
    );
    const stats = computeMeanStd(floats);
    assert.deepEqual(stats.mean, [3, 1]);
    near(stats.std, [Math.sqrt(5), 0]);
    assert.deepEqual(JSON.parse(JSON.stringify(stats)), stats, 'plain JSON');
    // uint8 images are measured after toFloat: 0 and 255 become 0 and 1.
    const bytes = new TensorDataset(
      tensor(new Uint8Array([0, 255, 255, 0]), { shape: [2, 1, 1, 2] }),
      tensor([0, 1], { dtype: 'int32' }),
    );
    assert.deepEqual(computeMeanStd(bytes), { mean: [0.5], std: [0.5] });
  });

  it('reads `samples` images spread over the dataset, matching a two-pass computation', () => {
    // Image i holds the value i: samples 2 of 4 reads images 0 and 2.
    const steps = new TensorDataset(
      tensor(Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3]), { shape: [4, 1, 1, 2] }),
      tensor([0, 0, 0, 0], { dtype: 'int32' }),
    );
    assert.deepEqual(computeMeanStd(steps, { samples: 2 }), { mean: [1], std: [1] });
    const images = rand([30, 3, 5, 7], { generator: new Generator(2) })
      .mul(1000)
      .add(1e4);
    const { mean, std } = computeMeanStd(new TensorDataset(images, randint(0, 2, [30])));
    for (let c = 0; c < 3; c++) {
      const values = Array.from({ length: 30 }, (_, n) =>
        Array.from(images.data.subarray((n * 3 + c) * 35, (n * 3 + c + 1) * 35)),
      ).flat();
      const m = values.reduce((a, b) => a + b, 0) / values.length;
      const s = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
      assert.ok(Math.abs(mean[c] - m) < 1e-9 * m && Math.abs(std[c] - s) < 1e-9 * s);
    }
  });

  it('draws random transforms from its own generator, not the default one', () => {
    const data = new TensorDataset(rand([6, 1, 4, 4]), randint(0, 2, [6]), {
      transform: randomHorizontalFlip(),
    });
    const before = defaultGenerator.getState();
    const stats = computeMeanStd(data, { transform: randomCrop(2) });
    assert.deepEqual(defaultGenerator.getState(), before);
    assert.deepEqual(computeMeanStd(data, { transform: randomCrop(2) }), stats);
  });

  it('refuses empty datasets, bad counts and mixed channel counts', () => {
    const empty = new TensorDataset(rand([0, 1, 2, 2]), randint(0, 2, [0]));
    throwsFovea(() => computeMeanStd(empty), 'computeMeanStd', /the dataset has no samples/);
    const data = new TensorDataset(rand([2, 1, 2, 2]), randint(0, 2, [2]));
    throwsFovea(
      () => computeMeanStd(data, { samples: 0 }),
      'computeMeanStd',
      /samples must be a positive integer, got 0/,
    );
    const mixed = {
      length: 2,
      get: (i: number) => ({ input: rand([i + 1, 2, 2]), target: tensor(0) }),
    };
    throwsFovea(
      () => computeMeanStd(mixed),
      'computeMeanStd',
      /expected images \[C, H, W\] with 1 channels, got shape \[2,2,2\]/,
    );
  });
});
