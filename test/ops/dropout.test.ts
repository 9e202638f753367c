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

  it('masks longer than a block of draws keep p and continue the stream', () => {
    const x = ones([3, 5000]); // 15,000 elements: several blocks of 4,096 draws
    const y = dropout(x, { p: 0.25, generator: new Generator(5) });
    let kept = 0;
    for (const v of y.data) if (v !== 0) kept++;
    assert.ok(Math.abs(kept / x.size - 0.75) < 0.02, `kept ${kept / x.size}`);
    // The same draws, one at a time: kept exactly where the 32-bit draw is top 31 bits are below 0.75·2³¹.
    const g = new Generator(5);
    for (let i = 0; i < x.size; i++) {
      const keep = g.nextUint32() >>> 1 < 0.75 * 2 ** 31;
      if ((y.data[i] !== 0) !== keep) assert.fail(`element ${i}`);
    }
  });

  it('Generator.fillUint32 is the nextUint32 stream, and leaves the state where it would', () => {
    const [a, b] = [new Generator(11), new Generator(11)];
    const filled = a.fillUint32(new Uint32Array(1000));
    filled.forEach((v, i) => assert.equal(v, b.nextUint32(), `draw ${i}`));
    assert.equal(a.nextUint32(), b.nextUint32());
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
