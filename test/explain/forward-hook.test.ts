import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Linear,
  mul,
  ReLU,
  Sequential,
  tensor,
  type Module,
  type Tensor,
} from '../../src/index.js';

describe('Module.registerForwardHook', () => {
  it('sees each forward, can replace the output, and stops after remove()', () => {
    const model = new Sequential(new ReLU(), new ReLU());
    const seen: [Module, Tensor, Tensor][] = [];
    const first = model.at(0);
    const handle = first.registerForwardHook((m, x, y) => {
      seen.push([m, x, y]);
    });
    const double = first.registerForwardHook((_m, _x, y) => mul(y, 2));
    const x = tensor([[-1, 3]]);
    assert.deepEqual(model.forward(x).toArray(), [[0, 6]]);
    assert.equal(seen.length, 1);
    assert.equal(seen[0][0], first);
    assert.equal(seen[0][1], x);
    assert.deepEqual(seen[0][2].toArray(), [[0, 3]]);
    handle.remove();
    double.remove();
    double.remove();
    assert.deepEqual(model.forward(x).toArray(), [[0, 3]]);
    assert.equal(seen.length, 1);
  });

  it('adds nothing to the state dict or the module tree', () => {
    const layer = new Linear(2, 3);
    layer.registerForwardHook(() => undefined);
    assert.deepEqual([...layer.stateDict().keys()], ['weight', 'bias']);
    assert.equal(layer.namedChildren().length, 0);
    assert.equal(layer.toString(), new Linear(2, 3).toString());
  });
});
