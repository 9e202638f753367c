import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parameter } from '../../src/nn/module.js';
import { importOnnx } from '../../src/onnx/import.js';
import { InitializerGroup } from '../../src/onnx/model.js';
import { crossEntropy } from '../../src/ops/cross-entropy.js';
import { SGD } from '../../src/optim/sgd.js';
import { manualSeed } from '../../src/tensor/random.js';
import { ones, randn, tensor, zeros } from '../../src/tensor/create.js';
import { FoveaError } from '../../src/tensor/errors.js';
import { modelBytes, node } from './helpers.js';

manualSeed(0);

/** conv → BN → relu → global pool → flatten (Reshape with a shape initializer) → Gemm head. */
function tinyNet(bnTraining = 0): Uint8Array {
  return modelBytes(
    [
      node('Conv', ['x', 'features.0.weight', 'features.0.bias'], ['c'], { pads: [1, 1, 1, 1] }),
      node(
        'BatchNormalization',
        [
          'c',
          'features.1.weight',
          'features.1.bias',
          'features.1.running_mean',
          'features.1.running_var',
        ],
        ['b'],
        { training_mode: bnTraining },
      ),
      node('Relu', ['b'], ['r']),
      node('GlobalAveragePool', ['r'], ['g']),
      node('Reshape', ['g', 'flat_shape'], ['f']),
      node('Gemm', ['f', 'fc.weight', 'fc.bias'], ['logits'], { transB: 1 }),
    ],
    {
      'features.0.weight': randn([4, 3, 3, 3]),
      'features.0.bias': zeros([4]),
      'features.1.weight': ones([4]),
      'features.1.bias': zeros([4]),
      'features.1.running_mean': zeros([4]),
      'features.1.running_var': ones([4]),
      flat_shape: tensor([0, -1], { dtype: 'int32' }),
      'fc.weight': randn([5, 4]),
      'fc.bias': zeros([5]),
    },
    ['x'],
    ['logits'],
  );
}

describe('OnnxModel', () => {
  it('names parameters as the initializers, nested like a PyTorch state dict', () => {
    const model = importOnnx(tinyNet());
    assert.deepEqual(
      model.namedParameters().map(([n]) => n),
      [
        'features.0.weight',
        'features.0.bias',
        'features.1.weight',
        'features.1.bias',
        'fc.weight',
        'fc.bias',
      ],
    );
    assert.ok((model as unknown as { features: unknown }).features instanceof InitializerGroup);
    assert.deepEqual(
      model
        .namedBuffers()
        .map(([n]) => n)
        .sort(),
      ['features.1.running_mean', 'features.1.running_var'],
    );
    assert.ok(!model.stateDict().has('flat_shape'), 'an integer initializer is a constant');
    assert.ok(model.initializer('flat_shape'));
  });

  it('runs forward, and gradients reach every parameter', () => {
    const model = importOnnx(tinyNet());
    assert.equal(model.training, false, 'imported for inference');
    const logits = model.forward(randn([2, 3, 8, 8]));
    assert.deepEqual(logits.shape, [2, 5]);
    crossEntropy(logits, tensor([1, 3], { dtype: 'int32' })).backward();
    for (const [name, p] of model.namedParameters()) assert.ok(p.grad, `${name} has a gradient`);
  });

  it('follows train()/eval() in BatchNormalization, updating running statistics only in training', () => {
    const model = importOnnx(tinyNet(1));
    assert.equal(model.training, true, 'a graph exported for training starts in training mode');
    const mean = model.initializer('features.1.running_mean');
    model.forward(randn([2, 3, 8, 8]).add(3));
    const after = [...(mean?.data ?? [])];
    assert.ok(after.some((v) => v !== 0));
    model.eval().forward(randn([2, 3, 8, 8]));
    assert.deepEqual([...(mean?.data ?? [])], after);
  });

  it('freezes the backbone and trains a replaced head of a new size', () => {
    const model = importOnnx(tinyNet());
    model.freeze();
    model.replaceInitializer('fc.weight', randn([10, 4]));
    const head = model as unknown as { fc: { bias: unknown } };
    head.fc.bias = parameter(zeros([10]));
    assert.deepEqual(
      model
        .parameters()
        .filter((p) => p.requiresGrad)
        .map((p) => p.shape),
      [[10, 4], [10]],
    );
    const optimizer = new SGD(
      model.parameters().filter((p) => p.requiresGrad),
      { lr: 0.5 },
    );
    const x = randn([4, 3, 8, 8]);
    const target = tensor([0, 9, 3, 7], { dtype: 'int32' });
    model.train();
    const losses = [0, 1, 2].map(() => {
      optimizer.zeroGrad();
      const loss = crossEntropy(model.forward(x), target);
      loss.backward();
      optimizer.step();
      return loss.item();
    });
    assert.equal(model.forward(x).shape[1], 10);
    assert.ok(losses[2] < losses[0], `loss falls: ${losses}`);
    assert.ok(
      !model.initializer('features.0.weight')?.grad,
      'the frozen backbone gets no gradient',
    );
  });

  it('refuses an unsupported operator naming the node and the file', () => {
    const bytes = modelBytes([node('FancyOp', ['x'], ['y'])], {}, ['x'], ['y']);
    assert.throws(
      () => importOnnx(bytes).forward(ones([1])),
      (e: unknown) => {
        assert.ok(e instanceof FoveaError);
        assert.match(
          e.message,
          /model bytes: node FancyOp 'fancyop_y': operator FancyOp is not supported/,
        );
        return true;
      },
    );
  });

  it('reads attribute forms of older opsets and input forms of newer ones (Slice)', () => {
    const x = tensor([0, 1, 2, 3, 4, 5]);
    const old = modelBytes(
      [node('Slice', ['x'], ['y'], { starts: [1], ends: [2 ** 31 - 1] })],
      {},
      ['x'],
      ['y'],
      9,
    );
    assert.deepEqual([...importOnnx(old).forward(x).data], [1, 2, 3, 4, 5]);
    const current = modelBytes(
      [node('Slice', ['x', 's', 'e', 'a', 'st'], ['y'])],
      {
        s: tensor([-1], { dtype: 'int32' }),
        e: tensor([-(2 ** 31)], { dtype: 'int32' }),
        a: tensor([0], { dtype: 'int32' }),
        st: tensor([-2], { dtype: 'int32' }),
      },
      ['x'],
      ['y'],
    );
    assert.deepEqual([...importOnnx(current).forward(x).data], [5, 3, 1]);
  });
});
