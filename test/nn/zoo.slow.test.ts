// The zoo's expensive tests (about a minute on the reference backend): kept apart from
// zoo.test.ts so that the fast suite stays fast.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  crossEntropy,
  manualSeed,
  mobilenetV2,
  noGrad,
  randint,
  randn,
  resnet18,
  resnet34,
} from '../../src/index.js';

describe('model zoo at full size', () => {
  it('ResNet-18 with the CIFAR stem memorises a batch: 20 SGD steps lower its loss', () => {
    manualSeed(0);
    const model = resnet18({ stem: 'cifar', numClasses: 10 });
    const images = randn([2, 3, 32, 32]);
    const labels = randint(0, 10, [2], { dtype: 'int32' });
    const params = model.parameters();
    const velocity = params.map((p) => new Float32Array(p.size));
    const [lr, momentum] = [0.05, 0.9];
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      model.zeroGrad();
      const loss = crossEntropy(model.forward(images), labels);
      loss.backward();
      losses.push(loss.item());
      // SGD with momentum, PyTorch's rule: v = μ·v + g; p −= lr·v.
      noGrad(() =>
        params.forEach((p, i) => {
          const [v, g] = [velocity[i], p.grad!.data];
          for (let j = 0; j < p.size; j++) {
            v[j] = momentum * v[j] + g[j];
            p.data[j] -= lr * v[j];
          }
        }),
      );
    }
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    assert.ok(last < 0.25 * losses[0], `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  });

  it('ImageNet models take 224×224 images', () => {
    for (const model of [resnet18(), resnet34({ numClasses: 100 }), mobilenetV2()]) {
      const out = noGrad(() => model.eval().forward(randn([1, 3, 224, 224])));
      assert.deepEqual(out.shape, [1, model.options.numClasses]);
    }
  });
});
