import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adaptiveMaxPool2d, Generator, maxPool2d, noGrad, randn } from '../../src/index.js';

describe('max pooling without gradients skips the argmax', () => {
  const x = randn([2, 3, 9, 8], { generator: new Generator(4) });
  it('the same maxima as with it, on a tensor that needs no gradient', () => {
    const training = maxPool2d(x.detach().requireGrad(), { kernelSize: 3, stride: 2 });
    const inference = noGrad(() => maxPool2d(x, { kernelSize: 3, stride: 2 }));
    assert.deepEqual(inference.data, training.data);
    assert.equal(inference.gradFn, null);
    const adaptive = noGrad(() => adaptiveMaxPool2d(x, [2, 3]));
    const withGrad = adaptiveMaxPool2d(x.detach().requireGrad(), [2, 3]);
    assert.deepEqual(adaptive.data, withGrad.data);
  });
  it('still returns indices when asked, gradients off', () => {
    const { values, indices } = noGrad(() => maxPool2d(x, { kernelSize: 2, returnIndices: true }));
    const plane = 9 * 8;
    indices.data.forEach((index, i) => {
      const p = Math.floor(i / (values.size / 6));
      assert.equal(x.data[p * plane + index], values.data[i]);
    });
  });
});
