import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arange,
  FoveaError,
  full,
  Generator,
  kaimingNormal,
  kaimingUniform,
  manualSeed,
  ones,
  rand,
  randint,
  randn,
  tensor,
  xavierNormal,
  xavierUniform,
  zeros,
} from '../../src/index.js';

describe('creation', () => {
  it('builds tensors from nested arrays, numbers and typed arrays', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.toArray(), [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(tensor(7).shape, []);
    assert.equal(tensor(7).item(), 7);
    const pixels = tensor(new Uint8Array([0, 128, 255, 1]), { shape: [2, 2] });
    assert.equal(pixels.dtype, 'uint8');
    assert.deepEqual(pixels.toArray(), [
      [0, 128],
      [255, 1],
    ]);
    assert.equal(tensor([1, 2], { dtype: 'float64' }).data.constructor, Float64Array);
  });

  it('rejects ragged arrays and mismatched shapes with the op named', () => {
    assert.throws(() => tensor([[1, 2], [3]]), /tensor: nested arrays are ragged/);
    assert.throws(
      () => tensor(new Float32Array(5), { shape: [2, 2] }),
      /tensor: typed array has 5 elements but shape \[2,2\] needs 4/,
    );
    assert.throws(() => zeros([2, -1]), FoveaError);
  });

  it('fills zeros, ones, full and arange', () => {
    assert.deepEqual(zeros([2]).toArray(), [0, 0]);
    assert.deepEqual(ones([1, 2], { dtype: 'int32' }).toArray(), [[1, 1]]);
    assert.deepEqual(full([2], 2.5).toArray(), [2.5, 2.5]);
    assert.deepEqual(arange(4).toArray(), [0, 1, 2, 3]);
    assert.equal(arange(4).dtype, 'int32');
    assert.deepEqual(arange(0, 1, 0.25).toArray(), [0, 0.25, 0.5, 0.75]);
    assert.deepEqual(arange(5, 1, -2).toArray(), [5, 3]);
  });
});

describe('random', () => {
  it('repeats a stream after manualSeed and differs across seeds', () => {
    manualSeed(42);
    const a = randn([100]).toArray();
    manualSeed(42);
    assert.deepEqual(randn([100]).toArray(), a);
    manualSeed(43);
    assert.notDeepEqual(randn([100]).toArray(), a);
  });

  it('restores a generator state exactly', () => {
    const g = new Generator(5);
    g.normal();
    const state = g.getState();
    const next = [g.uniform(), g.normal(), g.normal()];
    g.setState(state);
    assert.deepEqual([g.uniform(), g.normal(), g.normal()], next);
  });

  it('draws from the right distributions', () => {
    const g = new Generator(1);
    const u = rand([20000], { generator: g }).data;
    const n = randn([20000], { generator: g }).data;
    const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
    assert.ok(Math.abs(mean(u) - 0.5) < 0.01 && Math.min(...u) >= 0 && Math.max(...u) < 1);
    assert.ok(Math.abs(mean(n)) < 0.03);
    assert.ok(Math.abs(mean(Array.from(n, (v) => v * v)) - 1) < 0.05);
    const ints = randint(-2, 3, [5000], { generator: g });
    assert.equal(ints.dtype, 'int32');
    assert.deepEqual(
      [...new Set(ints.data)].sort((a, b) => a - b),
      [-2, -1, 0, 1, 2],
    );
  });

  it('initialises weights with the scale PyTorch uses', () => {
    const std = (t: { data: ArrayLike<number> }) => {
      const xs = Array.from(t.data);
      const m = xs.reduce((s, v) => s + v, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
    };
    const shape = [64, 32, 3, 3]; // fan_in 288, fan_out 576
    const close = (a: number, b: number) => assert.ok(Math.abs(a / b - 1) < 0.05, `${a} vs ${b}`);
    close(std(kaimingUniform(shape, { nonlinearity: 'relu' })), Math.sqrt(2 / 288));
    close(std(kaimingNormal(shape, { nonlinearity: 'relu', mode: 'fanOut' })), Math.sqrt(2 / 576));
    close(std(xavierUniform(shape)), Math.sqrt(2 / (288 + 576)));
    close(std(xavierNormal(shape, { gain: 2 })), 2 * Math.sqrt(2 / (288 + 576)));
    // PyTorch's layer default: kaiming_uniform_(a=√5) gives bound 1/√fan_in.
    const w = kaimingUniform(shape, { a: Math.sqrt(5) });
    assert.ok(Math.max(...Array.from(w.data, Math.abs)) <= 1 / Math.sqrt(288));
  });
});
