import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropout, dropout2d, Generator, manualSeed, ones, randn } from '../../src/index.js';

describe('dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1−p)', () => {
    const x = randn([100, 100]);
    const y = dropout(x, { p: 0.3, generator: new Generator(3) });
    let zeros = 0;
    for (let i = 0; i < x.size; i++) {
      if (y.data[i] === 0) zeros++;
      else assert.ok(Math.abs(y.data[i] - x.data[i] / 0.7) <= 1e-6 * Math.abs(x.data[i] / 0.7));
    }
    assert.ok(Math.abs(zeros / x.size - 0.3) < 0.02, `dropped ${zeros / x.size}`);
  });

  it('repeats its mask after re-seeding and passes through in eval', () => {
    const x = randn([50]);
    manualSeed(9);
    const a = dropout(x).toArray();
    manualSeed(9);
    assert.deepEqual(dropout(x).toArray(), a);
    assert.equal(dropout(x, { training: false }), x);
    assert.ok(dropout(x, { p: 1 }).data.every((v) => v === 0));
  });

  it('dropout2d drops whole channels', () => {
    const y = dropout2d(ones([4, 16, 3, 3]), { p: 0.5, generator: new Generator(1) });
    let dropped = 0;
    for (let plane = 0; plane < 64; plane++) {
      const values = new Set(y.data.subarray(plane * 9, plane * 9 + 9));
      assert.equal(values.size, 1, 'a channel is either all kept or all dropped');
      if (values.has(0)) dropped++;
      else assert.ok(values.has(2));
    }
    assert.ok(dropped > 16 && dropped < 48);
  });

  it('refuses p outside [0, 1]', () => {
    assert.throws(() => dropout(randn([3]), { p: 1.5 }), /dropout: .*1\.5/);
  });
});
