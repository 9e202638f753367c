import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doctor } from '../../src/doctor/doctor.js';
import { ReLU, Sigmoid } from '../../src/nn/layers/activation.js';
import { Flatten, Identity, Sequential } from '../../src/nn/layers/container.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { Module } from '../../src/nn/module.js';
import { relu } from '../../src/ops/activation.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../../src/nn/layers/pool.js';
import { manualSeed } from '../../src/tensor/random.js';
import { fashion32, finding, ids } from './helpers.js';

/**
 * `depth` 3×3 convs of 8 channels with `activation`, pooling twice on the way so the receptive
 * field covers 32×32, then a linear classifier: the structure is clean, only training dynamics
 * can be wrong.
 */
function plainCnn(depth: number, activation: () => Module): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i < depth; i++) {
    layers.push(new Conv2d(i === 0 ? 1 : 8, 8, 3, { padding: 1 }), activation());
    if (i === 1 || i === 3) layers.push(new MaxPool2d(2));
  }
  return new Sequential(...layers, new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 10));
}

const run = (model: Module) =>
  doctor(model, { inputShape: [1, 32, 32], data: fashion32(1000), samples: 64 });

describe('doctor: checks that run the model on data', () => {
  it('vanishing gradients through a deep sigmoid stack', () => {
    manualSeed(0);
    const f = finding(run(plainCnn(10, () => new Sigmoid())), 'vanishing-gradients');
    assert.ok(f.evidence.firstToLastRatio < 1e-3, JSON.stringify(f.evidence));
  });

  it('exploding gradients when every conv is scaled up', () => {
    manualSeed(0);
    const model = plainCnn(8, () => new ReLU());
    for (const p of model.parameters())
      if (p.ndim === 4) p.data.forEach((v, i) => (p.data[i] = v * 4));
    const f = finding(run(model), 'exploding-gradients');
    assert.ok(Math.max(...Object.values(f.evidence)) > 10, JSON.stringify(f.evidence));
  });

  it('dead ReLUs behind a conv whose bias was pushed to −100', () => {
    manualSeed(0);
    const model = plainCnn(6, () => new ReLU());
    (model.at(2) as Conv2d).bias!.data.fill(-100); // the second conv: its ReLU (index 3) never fires
    const f = finding(run(model), 'dead-relus');
    // layer 3 never fires, and so neither do later units whose bias alone is negative
    assert.equal(Object.keys(f.evidence)[0], '3');
    assert.equal(f.evidence['3'], 1);
  });

  it('dead functional relu calls inside a custom forward, named by their order', () => {
    manualSeed(0);
    class Custom extends Module {
      conv1 = new Conv2d(1, 8, 3, { padding: 1 });
      conv2 = new Conv2d(8, 8, 3, { padding: 1 });
      head = new Sequential(new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 10));
      forward(x: Tensor): Tensor {
        return this.head.forward(relu(this.conv2.forward(relu(this.conv1.forward(x)))));
      }
    }
    const model = new Custom();
    model.conv2.bias!.data.fill(-100); // the second relu call never fires
    const f = finding(run(model), 'dead-relus');
    assert.deepEqual(Object.keys(f.evidence), ['relu call 2']);
    assert.equal(f.evidence['relu call 2'], 1);
    model.conv2.bias!.data.fill(0);
    assert.ok(!ids(run(model)).includes('dead-relus'));
  });

  it("dead units of a conv with activation: 'relu', named by the conv", () => {
    manualSeed(0);
    const model = plainCnn(4, () => new Identity());
    for (const i of [0, 2, 5, 7]) {
      const conv = model.at(i) as Conv2d;
      model.set(i, new Conv2d(conv.inChannels, 8, 3, { padding: 1, activation: 'relu' }));
    }
    (model.at(2) as Conv2d).bias!.data.fill(-100);
    const f = finding(run(model), 'dead-relus');
    assert.equal(Object.keys(f.evidence)[0], '2');
    assert.equal(f.evidence['2'], 1);
  });

  it("dead units of a Linear with activation: 'relu', named by the layer", () => {
    manualSeed(0);
    const model = plainCnn(4, () => new ReLU());
    const head = new Linear(8, 16, { activation: 'relu' });
    model.set(model.length - 1, head);
    model.append(new Linear(16, 10));
    head.bias!.data.fill(-100);
    const f = finding(run(model), 'dead-relus');
    const name = String(model.length - 2);
    assert.deepEqual(Object.keys(f.evidence), [name]);
    assert.equal(f.evidence[name], 1);
  });

  it('a plain ReLU CNN of the same shape is healthy', () => {
    manualSeed(0);
    assert.deepEqual(ids(run(plainCnn(6, () => new ReLU()))), []);
  });
});
