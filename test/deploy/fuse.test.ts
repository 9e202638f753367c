import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BatchNorm1d,
  BatchNorm2d,
  BatchNorm3d,
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose2d,
  createModel,
  findFusionGroups,
  foldBatchNorm,
  FoveaError,
  fuse,
  FusedLayer,
  Identity,
  Linear,
  Module,
  noGrad,
  randn,
  ReLU,
  ReLU6,
  Sequential,
  type Tensor,
} from '../../src/index.js';
import { Generator } from '../../src/tensor/random.js';
import { maxAbs, maxAbsDiff, parameterCount, randomizeNorms } from './helpers.js';

/** Asserts that `transform` keeps the eval-mode outputs of `model` on x (to 1e-5 of their scale). */
function assertSameOutputs(model: Module, x: Tensor, transform: (m: Module) => Module): void {
  randomizeNorms(model);
  model.eval();
  const before = noGrad(() => model.forward(x));
  const after = noGrad(() => transform(model).forward(x));
  const diff = maxAbsDiff(before, after);
  assert.ok(
    diff <= 1e-5 * Math.max(1, maxAbs(before)),
    `max |difference| ${diff} for outputs up to ${maxAbs(before)}`,
  );
}

const input = (shape: number[]) => randn(shape, { generator: new Generator(3) });

describe('foldBatchNorm and fuse on the zoo', () => {
  for (const [name, options, shape] of [
    ['fashion_cnn', { widthMult: 0.5 }, [2, 1, 28, 28]],
    ['resnet18', { stem: 'cifar', numClasses: 10 }, [2, 3, 16, 16]],
    ['mobilenet_v2', { numClasses: 10, widthMult: 0.35 }, [2, 3, 32, 32]],
  ] as const) {
    it(`${name}: same outputs within 1e-5, fewer parameters, no batch norm left`, () => {
      const model = createModel(name, options);
      const count = parameterCount(model);
      assertSameOutputs(model, input([...shape]), (m) => fuse(m));
      assert.ok(parameterCount(model) < count, `${parameterCount(model)} < ${count}`);
      const norms = model.namedModules().filter(([, m]) => m instanceof BatchNorm2d);
      assert.deepEqual(norms, []);
      assert.ok(model.namedModules().some(([, m]) => m instanceof FusedLayer));
    });
  }

  it('finds the documented groups of fashion_cnn and ResNet blocks', () => {
    const groups = findFusionGroups(createModel('fashion_cnn'));
    assert.deepEqual(groups[0], {
      layer: 'features.0',
      norm: 'features.1',
      activation: 'features.2',
    });
    assert.deepEqual(groups.at(-1), { layer: 'classifier.1', activation: 'classifier.2' });
    const resnet = findFusionGroups(createModel('resnet18', { numClasses: 10 }));
    assert.ok(resnet.some((g) => g.layer === 'conv1' && g.activation === 'relu'));
    assert.ok(resnet.some((g) => g.layer === 'layer1.0.conv2' && g.norm === 'layer1.0.bn2'));
    assert.ok(resnet.some((g) => g.layer === 'layer2.0.downsample.0'));
  });

  it('folds twice harmlessly', () => {
    const model = createModel('fashion_cnn', { widthMult: 0.25 });
    assertSameOutputs(model, input([1, 1, 28, 28]), (m) => fuse(fuse(m)));
  });
});

describe('foldBatchNorm on each layer kind', () => {
  const cases: [string, () => Module, number[]][] = [
    [
      'Conv1d + BatchNorm1d',
      () => new Sequential(new Conv1d(3, 4, 3), new BatchNorm1d(4)),
      [2, 3, 9],
    ],
    [
      'Conv2d (groups 2, no bias) + BatchNorm2d',
      () => new Sequential(new Conv2d(4, 6, 3, { groups: 2, bias: false }), new BatchNorm2d(6)),
      [2, 4, 7, 7],
    ],
    [
      'Conv3d + BatchNorm3d',
      () => new Sequential(new Conv3d(2, 3, 2), new BatchNorm3d(3)),
      [1, 2, 4, 4, 4],
    ],
    [
      'ConvTranspose2d (groups 2) + BatchNorm2d',
      () =>
        new Sequential(new ConvTranspose2d(4, 6, 3, { stride: 2, groups: 2 }), new BatchNorm2d(6)),
      [2, 4, 5, 5],
    ],
    ['Linear + BatchNorm1d', () => new Sequential(new Linear(5, 4), new BatchNorm1d(4)), [3, 5]],
  ];
  for (const [name, make, shape] of cases) {
    it(name, () => {
      const model = make();
      assertSameOutputs(model, input(shape), (m) => foldBatchNorm(m));
      assert.ok((model as Sequential).at(1) instanceof Identity);
    });
  }

  it('fuses conv → ReLU6 and linear → ReLU without a norm', () => {
    const model = new Sequential(new Conv2d(1, 2, 3), new ReLU6(), new Linear(4, 3), new ReLU());
    fuse(model);
    assert.ok(model.at(0) instanceof FusedLayer && model.at(1) instanceof Identity);
    assert.ok(model.at(2) instanceof FusedLayer && model.at(3) instanceof Identity);
  });

  it('folds named groups of a custom module given by name', () => {
    class Block extends Module {
      conv = new Conv2d(2, 3, 3);
      bn = new BatchNorm2d(3);
      act = new ReLU();
      forward(x: Tensor): Tensor {
        return this.act.forward(this.bn.forward(this.conv.forward(x)));
      }
    }
    const model = new Block();
    assertSameOutputs(model, input([2, 2, 6, 6]), (m) =>
      fuse(m, { groups: [['conv', 'bn', 'act']] }),
    );
    assert.ok(model.bn instanceof Identity && model.conv instanceof FusedLayer);
  });

  it('refuses a group that is not conv → norm → activation, and a norm without running stats', () => {
    const model = new Sequential(new ReLU(), new Conv2d(1, 2, 3));
    assert.throws(() => fuse(model, { groups: [['0', '1']] }), FoveaError);
    assert.throws(
      () => fuse(model, { groups: [['1', '2']] }),
      /fuse: the model has no module named '2'/,
    );
    const noStats = new Sequential(
      new Conv2d(1, 2, 3),
      new BatchNorm2d(2, { trackRunningStats: false }),
    );
    assert.throws(
      () => foldBatchNorm(noStats),
      /foldBatchNorm: 1 \(BatchNorm2d\) has no running statistics/,
    );
  });
});
