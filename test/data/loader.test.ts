import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataLoader } from '../../src/data/loader.js';
import { TensorDataset } from '../../src/data/tensor-dataset.js';
import type { Dataset, Sample, SampleTransform } from '../../src/data/dataset.js';
import { arange, tensor } from '../../src/tensor/create.js';
import { Generator } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { throwsFovea } from './util.js';

/** n samples: input i is [2] = [i, -i] (float32), target i is i (int32). */
function numbered(n: number, transform?: SampleTransform): TensorDataset {
  const inputs = tensor(
    Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 ? -1 : 1) * Math.floor(k / 2)),
    { shape: [n, 2] },
  );
  return new TensorDataset(inputs, arange(n), { transform });
}

/** The target ids of every batch of one epoch. */
const epoch = (loader: DataLoader) => Array.from(loader, (b) => Array.from(b.target.data));

describe('TensorDataset', () => {
  it('gives row i of the inputs and targets, as views', () => {
    const data = numbered(5);
    assert.equal(data.length, 5);
    const s = data.get(3);
    assert.deepEqual(s.input.toArray(), [3, -3]);
    assert.deepEqual(s.target.shape, []);
    assert.equal(s.target.item(), 3);
    assert.equal(s.input.data.buffer, data.inputs.data.buffer); // no copy
  });

  it('refuses out-of-range indices and mismatched first dimensions', () => {
    throwsFovea(
      () => numbered(5).get(5),
      'TensorDataset',
      /index 5 is out of range for a dataset of 5 samples/,
    );
    throwsFovea(() => numbered(5).get(1.5), 'TensorDataset', /index 1\.5/);
    throwsFovea(
      () => new TensorDataset(arange(3), arange(4)),
      'TensorDataset',
      /inputs \[3\] and targets \[4\] must have the same first dimension/,
    );
  });

  it('checks class ids against the class names', () => {
    throwsFovea(
      () =>
        new TensorDataset(arange(3), tensor([0, 2, 1], { dtype: 'int32' }), {
          classes: ['a', 'b'],
        }),
      'TensorDataset',
      /label 2 at targets\[1\] is not a class id in \[0, 2\)/,
    );
  });

  it('runs its transform with the given generator', () => {
    const seen: Generator[] = [];
    const data = numbered(3, (s, g) => {
      seen.push(g);
      return { ...s, input: tensor([g.uniform()]) };
    });
    const g = new Generator(7);
    const x = data.get(0, g).input.item();
    assert.equal(seen[0], g);
    assert.equal(x, Math.fround(new Generator(7).uniform()));
  });
});

describe('DataLoader', () => {
  it('stacks inputs into [B, ...] and targets into [B], in order by default', () => {
    const batches = Array.from(new DataLoader(numbered(5), { batchSize: 2 }));
    assert.deepEqual(
      batches.map((b) => b.input.shape),
      [
        [2, 2],
        [2, 2],
        [1, 2],
      ],
    );
    assert.deepEqual(batches[1].input.toArray(), [
      [2, -2],
      [3, -3],
    ]);
    assert.deepEqual(batches[1].target.shape, [2]);
    assert.equal(batches[1].target.dtype, 'int32');
    assert.deepEqual(epoch(new DataLoader(numbered(5), { batchSize: 2 })), [[0, 1], [2, 3], [4]]);
  });

  it('has length ⌈N / B⌉, or ⌊N / B⌋ with dropLast, and yields that many batches', () => {
    for (const [n, b, dropLast, length] of [
      [10, 3, false, 4],
      [10, 3, true, 3],
      [9, 3, true, 3],
      [2, 5, true, 0],
      [0, 4, false, 0],
      [7, 1, false, 7],
    ] as const) {
      const loader = new DataLoader(numbered(n), { batchSize: b, dropLast });
      assert.equal(loader.length, length, `n=${n} b=${b} dropLast=${dropLast}`);
      const batches = epoch(loader);
      assert.equal(batches.length, length);
      if (dropLast) assert.ok(batches.every((x) => x.length === b));
    }
  });

  it('batchSize defaults to 1, as in PyTorch', () => {
    assert.equal(new DataLoader(numbered(3)).length, 3);
  });

  it('shuffles a permutation, the same for the same seed and new each epoch', () => {
    const make = (seed: number) =>
      new DataLoader(numbered(50), { batchSize: 8, shuffle: true, generator: new Generator(seed) });
    const a = make(1);
    const first = epoch(a).flat();
    assert.deepEqual(
      [...first].sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.notDeepEqual(
      first,
      Array.from({ length: 50 }, (_, i) => i),
    );
    const second = epoch(a).flat();
    assert.notDeepEqual(second, first); // a new order each epoch
    const b = make(1);
    assert.deepEqual(epoch(b).flat(), first); // same seed, same run
    assert.deepEqual(epoch(b).flat(), second);
    assert.notDeepEqual(epoch(make(2)).flat(), first);
  });

  it('draws every permutation equally often', () => {
    const g = new Generator(11);
    const loader = new DataLoader(numbered(3), { batchSize: 3, shuffle: true, generator: g });
    const counts = new Map<string, number>();
    for (let run = 0; run < 3000; run++) {
      const key = epoch(loader)[0].join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.equal(counts.size, 6);
    for (const [key, n] of counts) assert.ok(Math.abs(n - 500) < 100, `${key}: ${n} of 3000`);
  });

  it('draws the order when iteration starts', () => {
    const g = new Generator(3);
    const loader = new DataLoader(numbered(20), { batchSize: 20, shuffle: true, generator: g });
    const iterator = loader[Symbol.iterator]();
    g.seed(99); // reseeding after the start does not change this epoch's order
    const order = Array.from((iterator.next().value as { target: Tensor }).target.data);
    const expected = epoch(
      new DataLoader(numbered(20), { batchSize: 20, shuffle: true, generator: new Generator(3) }),
    );
    assert.deepEqual(order, expected[0]);
  });

  it('repeats random transforms with the seed, the dataset’s and the loader’s', () => {
    const noise: SampleTransform = (s, g) => ({
      ...s,
      input: tensor([s.input.data[0] + g.uniform()]),
    });
    const run = (seed: number) =>
      Array.from(
        new DataLoader(numbered(6, noise), {
          batchSize: 4,
          shuffle: true,
          generator: new Generator(seed),
          transform: noise,
        }),
        (b) => Array.from(b.input.data),
      );
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
    // Both transforms ran: each value is its index plus two uniforms.
    const loader = new DataLoader(numbered(6, noise), { batchSize: 6, transform: noise });
    for (const batch of loader) {
      batch.input.data.forEach((x, i) =>
        assert.ok(x >= i && x < i + 2 && x - i !== Math.floor(x - i)),
      );
    }
  });

  it('works with any Dataset, and names the samples whose shapes differ', () => {
    const ragged: Dataset = {
      length: 3,
      get: (i): Sample => ({
        input: tensor(new Float32Array(i === 2 ? 3 : 2)),
        target: tensor([i]),
      }),
    };
    assert.deepEqual(Array.from(new DataLoader(ragged, { batchSize: 2 }))[0].input.shape, [2, 2]);
    throwsFovea(
      () => Array.from(new DataLoader(ragged, { batchSize: 3 })),
      'DataLoader',
      /sample 2 has input \[3\] float32 but sample 0 has \[2\] float32; a batch needs equal shapes and dtypes/,
    );
    const mixed: Dataset = {
      length: 2,
      get: (i) => ({ input: tensor([1], { dtype: i ? 'uint8' : 'float32' }), target: tensor([0]) }),
    };
    throwsFovea(
      () => Array.from(new DataLoader(mixed, { batchSize: 2 })),
      'DataLoader',
      /sample 1 has input \[1\] uint8/,
    );
  });

  it('refuses a batchSize that is not a positive integer', () => {
    for (const batchSize of [0, -1, 2.5, NaN]) {
      throwsFovea(
        () => new DataLoader(numbered(3), { batchSize }),
        'DataLoader',
        /batchSize must be a positive integer/,
      );
    }
  });

  it('copies samples into the batch, leaving the dataset untouched', () => {
    const data = numbered(2);
    const [batch] = new DataLoader(data, { batchSize: 2 });
    batch.input.data.fill(0);
    assert.deepEqual(data.get(1).input.toArray(), [1, -1]);
    assert.ok(batch.input instanceof Tensor);
  });

  it('position() and resumeAt() continue an epoch at its next batch, drawing nothing', () => {
    const ids = (b: { target: Tensor }) => Array.from(b.target.data);
    const straight = new DataLoader(numbered(10), {
      batchSize: 3,
      shuffle: true,
      generator: new Generator(5),
    });
    const it = straight[Symbol.iterator]();
    it.next();
    it.next();
    const position = straight.position()!;
    assert.equal(position.nextBatch, 2);
    const state = straight.generator.getState();
    const rest = [...{ [Symbol.iterator]: () => it }].map(ids);

    const resumed = new DataLoader(numbered(10), {
      batchSize: 3,
      shuffle: true,
      generator: new Generator(0),
    });
    resumed.generator.setState(state);
    resumed.resumeAt(position);
    assert.deepEqual([...resumed].map(ids), rest);
    assert.equal([...resumed].length, 4); // the next iteration is a new epoch
    throwsFovea(
      () => resumed.resumeAt({ order: position.order.subarray(0, 9), nextBatch: 1 }),
      'DataLoader',
      /cannot resume at batch 1 of an order of 9 samples: the dataset has 10 samples in 4 batches/,
    );
  });
});
