import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  createModel,
  crossEntropy,
  FashionCnn,
  LeNet5,
  manualSeed,
  mobilenetV2,
  modelNames,
  noGrad,
  randn,
  resnet18,
  tensor,
  UNet,
  type Module,
  type ModelOptions,
  type Tensor,
} from '../../src/index.js';

/** A case written by scripts/make-zoo-fixtures.py from the same architecture in PyTorch. */
interface ZooCase {
  name: string;
  options: ModelOptions;
  numParameters: number;
  parameters: [string, number[]][];
  buffers: [string, number[]][];
  runs: { input: number[]; output: number[]; values: number[] }[];
}

const FIXTURES = new URL('../fixtures/zoo/', import.meta.url);
const cases = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8'))] as const)
  .map(([file, c]) => ({ file, ...(c as ZooCase) }));

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Fills every parameter and buffer from a formula of its name and index: fill_state in
 * scripts/make-zoo-fixtures.py, so this model and PyTorch's compute with the same weights.
 */
function fillState(model: Module): void {
  for (const [key, t] of model.stateDict()) {
    if (t.dtype === 'int32') continue; // num_batches_tracked
    const seed = [...key].reduce((s, c) => s + c.charCodeAt(0), 0) % 97;
    const leaf = key.slice(key.lastIndexOf('.') + 1);
    for (let i = 0; i < t.size; i++) {
      const v = Math.sin(0.7 * i + 1.3 * seed);
      if (t.ndim >= 2) t.data[i] = v * Math.sqrt((2 * t.shape[0]) / t.size);
      else if (leaf === 'weight') t.data[i] = 1 + 0.1 * v;
      else if (leaf === 'running_var') t.data[i] = 1 + 0.5 * v * v;
      else t.data[i] = 0.1 * v;
    }
  }
}

/** The fixtures' input: x[i] = sin(0.1 i + 0.5). */
function sineInput(shape: number[]): Tensor {
  const n = numel(shape);
  return tensor(
    Float32Array.from({ length: n }, (_, i) => Math.sin(0.1 * i + 0.5)),
    { shape },
  );
}

describe('model zoo against PyTorch', () => {
  it('has a fixture for every model', () => {
    assert.deepEqual(new Set(cases.map((c) => c.name)), new Set(modelNames()));
  });

  for (const c of cases) {
    describe(`${c.file}: ${c.name} ${JSON.stringify(c.options)}`, () => {
      manualSeed(0);
      const model = createModel(c.name, c.options);

      it('has the same parameter count and state-dict names and shapes, in order', () => {
        const params = model.namedParameters();
        assert.equal(
          params.reduce((n, [, p]) => n + p.size, 0),
          c.numParameters,
        );
        assert.deepEqual(
          params.map(([k, p]) => [k, p.shape]),
          c.parameters,
        );
        assert.deepEqual(
          model.namedBuffers().map(([k, b]) => [k, b.shape]),
          c.buffers,
        );
      });

      for (const run of c.runs) {
        it(`computes PyTorch's output for input ${JSON.stringify(run.input)}`, () => {
          fillState(model);
          model.eval();
          const out = noGrad(() => model.forward(sineInput(run.input)));
          assert.deepEqual(out.shape, run.output);
          const scale = Math.max(...run.values.map(Math.abs));
          for (let i = 0; i < out.size; i++) {
            const [got, want] = [out.data[i], run.values[i]];
            assert.ok(
              Math.abs(got - want) <= 1e-4 * scale + 1e-4 * Math.abs(want),
              `output[${i}] = ${got}, PyTorch ${want} (largest |output| ${scale})`,
            );
          }
        });
      }
    });
  }
});

/** Forward + backward at a small batch: every parameter gets a finite, non-zero gradient. */
function checkBackward(model: Module, input: number[], classes: number): void {
  manualSeed(1);
  model.train();
  const out = model.forward(randn(input));
  const target = randn(out.shape);
  out.mul(target).sum().backward();
  for (const [name, p] of model.namedParameters()) {
    assert.ok(p.grad, `${name} has no gradient`);
    assert.deepEqual(p.grad.shape, p.shape, name);
    assert.ok(p.grad.data.every(Number.isFinite), `${name}: non-finite gradient`);
    assert.ok(
      p.grad.data.some((g) => g !== 0),
      `${name}: gradient all zero`,
    );
  }
  assert.equal(out.shape[1], classes);
}

describe('model zoo: forward and backward at a small batch', () => {
  const table: [string, () => Module, number[], number][] = [
    ['lenet5', () => new LeNet5(), [2, 1, 28, 28], 10],
    ['fashion_cnn', () => new FashionCnn(), [2, 1, 28, 28], 10],
    ['small_vgg', () => createModel('small_vgg'), [2, 3, 32, 32], 10],
    [
      'resnet34 (ImageNet stem, 32×32)',
      () => createModel('resnet34', { numClasses: 7 }),
      [2, 3, 32, 32],
      7,
    ],
    ['mobilenet_v2 (64×64)', () => mobilenetV2({ numClasses: 5 }), [2, 3, 64, 64], 5],
    ['unet', () => new UNet({ baseWidth: 8, depth: 3, numClasses: 3 }), [2, 1, 32, 32], 3],
  ];
  for (const [name, make, input, classes] of table) {
    it(name, () => checkBackward(make(), input, classes));
  }

  it('a segmentation loss trains the U-Net: output [N, classes, H, W] against [N, H, W] labels', () => {
    const model = new UNet({ inChannels: 3, numClasses: 4, baseWidth: 4, depth: 2 });
    const out = model.forward(randn([2, 3, 24, 20]));
    assert.deepEqual(out.shape, [2, 4, 24, 20]);
    const labels = tensor(
      Int32Array.from({ length: 2 * 24 * 20 }, (_, i) => i % 4),
      {
        shape: [2, 24, 20],
      },
    );
    crossEntropy(out, labels).backward();
    assert.ok(model.head.weight.grad);
  });
});

describe('model zoo: initialisation', () => {
  const std = (t: Tensor) => {
    const values = Array.from(t.data);
    const m = values.reduce((a, b) => a + b, 0) / t.size;
    return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / t.size);
  };

  it("ResNet and MobileNetV2 start as torchvision's: Kaiming normal (fan-out) convs", () => {
    manualSeed(0);
    const resnet = resnet18();
    const [out, , kh, kw] = resnet.conv1.weight.shape; // [64, 3, 7, 7]: fan-out 64·49
    assert.ok(Math.abs(std(resnet.conv1.weight) / Math.sqrt(2 / (out * kh * kw)) - 1) < 0.05);
    const mobilenet = mobilenetV2({ widthMult: 0.5 });
    const fc = mobilenet.classifier.at(1) as unknown as { weight: Tensor; bias: Tensor };
    assert.ok(Math.abs(std(fc.weight) / 0.01 - 1) < 0.05);
    assert.ok(fc.bias.data.every((b) => b === 0));
  });

  it('is repeatable after manualSeed', () => {
    manualSeed(3);
    const a = new FashionCnn({ widthMult: 0.25 }).parameters();
    manualSeed(3);
    const b = new FashionCnn({ widthMult: 0.25 }).parameters();
    a.forEach((p, i) => assert.deepEqual(p.data, b[i].data));
  });
});

describe('model zoo: registry and errors', () => {
  it('lists its models, FashionCnn among them', () => {
    assert.deepEqual(modelNames(), [
      'lenet5',
      'fashion_cnn',
      'small_vgg',
      'resnet18',
      'resnet34',
      'mobilenet_v2',
      'unet',
    ]);
    assert.ok(createModel('fashion_cnn') instanceof FashionCnn);
  });

  it('keeps the options it was built with, defaults filled in', () => {
    assert.deepEqual(createModel('resnet18', { stem: 'cifar' }).options, {
      numClasses: 1000,
      inChannels: 3,
      stem: 'cifar',
    });
  });

  it('refuses unknown models and bad options with errors that say what to do', () => {
    const refusals: [() => unknown, RegExp][] = [
      [
        () => createModel('ResNet-18'),
        /createModel: unknown model 'ResNet-18' \(did you mean 'resnet18'\?\); the zoo has lenet5, fashion_cnn/,
      ],
      [() => createModel('alexnet'), /unknown model 'alexnet'; the zoo has/],
      [
        () => createModel('lenet5', { numClass: 3 }),
        /LeNet5: unknown option 'numClass'; the options are numClasses, inChannels/,
      ],
      [
        () => createModel('resnet18', { numClasses: '10' }),
        /option 'numClasses' must be a number, got "10"/,
      ],
      [
        () => createModel('resnet34', { stem: 'imgnet' }),
        /stem' must be 'imagenet' or 'cifar', got 'imgnet'/,
      ],
      [
        () => createModel('small_vgg', { depth: 0 }),
        /SmallVgg: option 'depth' must be an integer ≥ 1, got 0/,
      ],
      [
        () => createModel('fashion_cnn', { widthMult: -1 }),
        /option 'widthMult' must be a number > 0/,
      ],
      [
        () => createModel('mobilenet_v2', { dropout: 1.5 }),
        /option 'dropout' must be a probability/,
      ],
      [
        () => createModel('unet', { numClasses: 2.5 }),
        /UNet: option 'numClasses' must be an integer/,
      ],
    ];
    for (const [fn, message] of refusals) assert.throws(fn, message);
  });

  it('UNet names the sizes it can take', () => {
    const model = new UNet({ baseWidth: 2, depth: 3 });
    assert.throws(
      () => model.forward(randn([1, 1, 30, 32])),
      /UNet: height and width must be divisible by 2\^depth = 8, got 30×32 \(shape \[1,1,30,32\]\); pad the images to 32×32, e.g. pad\(x, \[0, 0, 0, 2\]\)/,
    );
  });

  it('prints a readable module tree', () => {
    const text = resnet18({ stem: 'cifar', numClasses: 10 }).toString();
    for (const line of [
      'ResNet(',
      '  (conv1): Conv2d(3, 64, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1], bias=false)',
      '  (maxpool): Identity()',
      '  (layer2): Sequential(\n    (0): BasicBlock(',
      '      (downsample): Sequential(\n        (0): Conv2d(64, 128, kernelSize=[1, 1], stride=[2, 2], bias=false)',
      '  (fc): Linear(inFeatures=512, outFeatures=10, bias=true)\n)',
    ]) {
      assert.ok(text.includes(line), `missing ${JSON.stringify(line)} in\n${text}`);
    }
  });
});
