import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCase } from '../../src/io/torch-fixtures.js';
import { importOnnx } from '../../src/onnx/import.js';
import { crossEntropy } from '../../src/ops/cross-entropy.js';
import { SGD } from '../../src/optim/sgd.js';
import { randn, tensor, zeros } from '../../src/tensor/create.js';
import { kaimingUniform } from '../../src/tensor/init.js';
import { manualSeed } from '../../src/tensor/random.js';

// The whole-model fixture cases (too large to vendor): torchvision SqueezeNet 1.1 and
// MobileNetV2 imported from ONNX match PyTorch's outputs, and both tiny ResNet training steps
// match PyTorch's logits, loss, gradients and state after two optimizer steps.
const shared = '../shared/fixtures';
const cases = [
  'models/squeezenet1_1',
  'models/mobilenet_v2',
  'torch/models/tiny_resnet_sgd',
  'torch/models/tiny_resnet_adamw',
];

describe('model fixtures from ../shared/fixtures', () => {
  for (const name of cases) {
    it(name, (t) => {
      const dir = join(shared, name);
      if (!existsSync(dir)) return t.skip(`${dir} is not here`);
      const result = runCase(dir, name);
      assert.equal(result.status, 'passed', result.problems.join('\n'));
    });
  }
});

describe('fine-tuning an imported MobileNetV2', () => {
  it('freezes the backbone, replaces the 1000-class head with 10 classes, and lowers the loss', (t) => {
    const file = join(shared, 'models/mobilenet_v2/model.onnx');
    if (!existsSync(file)) return t.skip(`${file} is not here`);
    manualSeed(0);
    const model = importOnnx(file).freeze();
    model.replaceInitializer('m.classifier.1.weight', kaimingUniform([10, 1280]));
    model.replaceInitializer('m.classifier.1.bias', zeros([10]));
    const trainable = model.parameters().filter((p) => p.requiresGrad);
    assert.deepEqual(
      trainable.map((p) => p.shape),
      [[10, 1280], [10]],
    );
    const optimizer = new SGD(trainable, { lr: 0.1 });
    const [x, labels] = [randn([4, 3, 64, 64]), tensor([1, 2, 3, 4], { dtype: 'int32' })];
    const losses = [0, 1, 2].map(() => {
      optimizer.zeroGrad();
      const loss = crossEntropy(model.train().forward(x), labels);
      loss.backward();
      optimizer.step();
      return loss.item();
    });
    assert.ok(losses[2] < losses[0], `loss falls: ${losses}`);
  });
});
