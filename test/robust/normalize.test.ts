import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Normalize, tensor } from '../../src/index.js';

describe('Normalize', () => {
  it('computes (x − mean[c]) / std[c] per channel, differentiably', () => {
    const layer = new Normalize([0.5, 1], [0.25, 2]);
    const x = tensor([[[[1]], [[3]]]], { requiresGrad: true }); // [1, 2, 1, 1]
    const y = layer.forward(x);
    assert.deepEqual(y.toArray(), [[[[2]], [[1]]]]);
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), [[[[4]], [[0.5]]]]);
  });

  it('keeps mean and std in the state dict and names the channel count in errors', () => {
    const layer = new Normalize([0.286], [0.353]);
    assert.deepEqual([...layer.stateDict().keys()], ['mean', 'std']);
    assert.throws(
      () => layer.forward(tensor([[[[1]], [[2]]]])),
      /Normalize: input of shape \[1,2,1,1\] should have 1 channels in dim 1/,
    );
    assert.throws(() => new Normalize([0], [0]), /Normalize: expected one mean and one std > 0/);
  });
});
