import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nn from '../../src/nn/index.js';
import { manualSeed, mean, noGrad, randn, square, sub, type Tensor } from '../../src/index.js';

/** One row of the layer table: a layer, an input shape, the output shape and PyTorch's state dict. */
interface LayerCase {
  name: string;
  make: () => nn.Module;
  input: number[];
  output: number[];
  /** PyTorch's state_dict names and shapes for the same layer (printed by torch 1.13). */
  state?: Record<string, number[]>;
}

const cases: LayerCase[] = [
  {
    name: 'Conv2d(3,16,3,stride=2,padding=1)',
    make: () => new nn.Conv2d(3, 16, 3, { stride: 2, padding: 1 }),
    input: [2, 3, 9, 9],
    output: [2, 16, 5, 5],
    state: { weight: [16, 3, 3, 3], bias: [16] },
  },
  {
    name: 'Conv1d(4,8,5,groups=2,bias=False)',
    make: () => new nn.Conv1d(4, 8, 5, { groups: 2, bias: false }),
    input: [2, 4, 9],
    output: [2, 8, 5],
    state: { weight: [8, 2, 5] },
  },
  {
    name: 'Conv3d(2,4,(3,1,3))',
    make: () => new nn.Conv3d(2, 4, [3, 1, 3]),
    input: [1, 2, 4, 3, 5],
    output: [1, 4, 2, 3, 3],
    state: { weight: [4, 2, 3, 1, 3], bias: [4] },
  },
  {
    name: 'ConvTranspose2d(8,4,2,stride=2,groups=2)',
    make: () => new nn.ConvTranspose2d(8, 4, 2, { stride: 2, groups: 2 }),
    input: [1, 8, 3, 3],
    output: [1, 4, 6, 6],
    state: { weight: [8, 2, 2, 2], bias: [4] },
  },
  {
    name: 'BatchNorm2d(16)',
    make: () => new nn.BatchNorm2d(16),
    input: [4, 16, 3, 3],
    output: [4, 16, 3, 3],
    state: {
      weight: [16],
      bias: [16],
      running_mean: [16],
      running_var: [16],
      num_batches_tracked: [],
    },
  },
  { name: 'BatchNorm1d(5)', make: () => new nn.BatchNorm1d(5), input: [6, 5], output: [6, 5] },
  {
    name: 'GroupNorm(2,8)',
    make: () => new nn.GroupNorm(2, 8),
    input: [2, 8, 3, 3],
    output: [2, 8, 3, 3],
    state: { weight: [8], bias: [8] },
  },
  {
    name: 'LayerNorm([4,4])',
    make: () => new nn.LayerNorm([4, 4]),
    input: [2, 3, 4, 4],
    output: [2, 3, 4, 4],
    state: { weight: [4, 4], bias: [4, 4] },
  },
  {
    name: 'InstanceNorm2d(3,affine=True)',
    make: () => new nn.InstanceNorm2d(3, { affine: true }),
    input: [2, 3, 4, 4],
    output: [2, 3, 4, 4],
    state: { weight: [3], bias: [3] },
  },
  {
    name: 'PReLU(3)',
    make: () => new nn.PReLU(3),
    input: [2, 3, 4],
    output: [2, 3, 4],
    state: { weight: [3] },
  },
  {
    name: 'Linear(10,5)',
    make: () => new nn.Linear(10, 5),
    input: [3, 10],
    output: [3, 5],
    state: { weight: [5, 10], bias: [5] },
  },
  {
    name: 'MaxPool2d(2)',
    make: () => new nn.MaxPool2d(2),
    input: [1, 2, 7, 7],
    output: [1, 2, 3, 3],
    state: {},
  },
  {
    name: 'AvgPool1d(3,stride=2,padding=1)',
    make: () => new nn.AvgPool1d(3, { stride: 2, padding: 1 }),
    input: [1, 2, 9],
    output: [1, 2, 5],
  },
  {
    name: 'AdaptiveAvgPool2d(1)',
    make: () => new nn.AdaptiveAvgPool2d(1),
    input: [2, 3, 5, 7],
    output: [2, 3, 1, 1],
  },
  {
    name: 'AdaptiveMaxPool3d([2,2,2])',
    make: () => new nn.AdaptiveMaxPool3d([2, 2, 2]),
    input: [1, 1, 3, 5, 4],
    output: [1, 1, 2, 2, 2],
  },
  {
    name: 'LPPool2d(2,2)',
    make: () => new nn.LPPool2d(2, 2),
    input: [1, 2, 4, 4],
    output: [1, 2, 2, 2],
  },
  {
    name: 'Upsample(scale 2, bilinear)',
    make: () => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }),
    input: [1, 2, 3, 3],
    output: [1, 2, 6, 6],
  },
  {
    name: 'PixelShuffle(2)',
    make: () => new nn.PixelShuffle(2),
    input: [1, 8, 3, 3],
    output: [1, 2, 6, 6],
  },
  {
    name: 'Dropout2d(0.3)',
    make: () => new nn.Dropout2d(0.3),
    input: [2, 4, 3, 3],
    output: [2, 4, 3, 3],
  },
  { name: 'Flatten()', make: () => new nn.Flatten(), input: [2, 3, 4], output: [2, 12] },
  { name: 'Softmax(1)', make: () => new nn.Softmax(1), input: [2, 5], output: [2, 5] },
  {
    name: 'DepthwiseSeparableConv2d(4,8,3,stride=2)',
    make: () => new nn.DepthwiseSeparableConv2d(4, 8, 3, { stride: 2 }),
    input: [2, 4, 7, 7],
    output: [2, 8, 4, 4],
  },
  {
    name: 'Residual(Conv2d 3x3 pad 1)',
    make: () =>
      new nn.Residual(new nn.Sequential(new nn.Conv2d(4, 4, 3, { padding: 1 }), new nn.ReLU())),
    input: [1, 4, 5, 5],
    output: [1, 4, 5, 5],
    state: { 'body.0.weight': [4, 4, 3, 3], 'body.0.bias': [4] },
  },
];

const shapesOf = (state: Map<string, Tensor>) =>
  Object.fromEntries([...state].map(([k, t]) => [k, [...t.shape]]));

describe('every layer', () => {
  for (const c of cases) {
    describe(c.name, () => {
      it('gives the output shape PyTorch gives', () => {
        manualSeed(0);
        assert.deepEqual(c.make().forward(randn(c.input)).shape, c.output);
      });

      if (c.state) {
        it("has PyTorch's state-dict names and shapes", () => {
          assert.deepEqual(shapesOf(c.make().stateDict()), c.state);
        });
      }

      it('reloads its state dict to identical outputs (eval mode)', () => {
        manualSeed(1);
        const a = c.make().eval();
        manualSeed(2);
        const b = c.make().eval();
        b.loadStateDict(a.stateDict());
        const x = randn(c.input);
        assert.deepEqual(a.forward(x).toArray(), b.forward(x).toArray());
      });

      it('lowers a loss with one gradient step when it has parameters', (t) => {
        manualSeed(3);
        const layer = c.make();
        if (layer.parameters().length === 0) return t.skip('no parameters');
        const x = randn(c.input);
        const target = randn(c.output);
        const loss = () => mean(square(sub(layer.forward(x), target)));
        const before = loss();
        before.backward();
        noGrad(() => {
          for (const p of layer.parameters()) p.data.set(sub(p, p.grad!.mul(0.05)).data);
        });
        assert.ok(loss().item() < before.item(), `${loss().item()} ≥ ${before.item()}`);
      });
    });
  }
});

describe('Module', () => {
  const net = () =>
    new nn.Sequential(
      new nn.Conv2d(1, 4, 3),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.Dropout(0.5),
      new nn.Flatten(),
      new nn.Linear(4 * 4 * 4, 3),
    );

  it('names nested parameters as PyTorch does, buffers included in the state dict', () => {
    assert.deepEqual(
      [...net().stateDict().keys()],
      [
        '0.weight',
        '0.bias',
        '1.weight',
        '1.bias',
        '5.weight',
        '5.bias',
        '1.running_mean',
        '1.running_var',
        '1.num_batches_tracked',
      ],
    );
    assert.equal(
      net()
        .parameters()
        .reduce((n, p) => n + p.size, 0),
      4 * 9 + 4 + 4 + 4 + 64 * 3 + 3,
    );
  });

  it('switches dropout and batch norm between training and eval', () => {
    manualSeed(4);
    const m = net();
    const x = randn([2, 1, 6, 6]);
    const bn = m.at(1) as nn.BatchNorm2d;
    m.forward(x);
    assert.equal(bn.num_batches_tracked!.item(), 1);
    assert.notDeepEqual(Array.from(bn.running_mean!.data), [0, 0, 0, 0]);
    m.eval();
    assert.deepEqual(m.forward(x).toArray(), m.forward(x).toArray(), 'eval is deterministic');
    assert.equal(bn.num_batches_tracked!.item(), 1, 'eval does not update statistics');
    m.train();
    assert.notDeepEqual(
      m.forward(x).toArray(),
      m.forward(x).toArray(),
      'dropout is random in training',
    );
  });

  it('freezes and unfreezes a subtree, and swaps a head by assignment', () => {
    const m = net();
    m.at(0).freeze();
    assert.deepEqual(
      m.parameters().map((p) => p.requiresGrad),
      [false, false, true, true, true, true],
    );
    m.unfreeze();
    assert.ok(m.parameters().every((p) => p.requiresGrad));
    m.set(5, new nn.Linear(64, 10));
    assert.deepEqual(m.forward(randn([1, 1, 6, 6])).shape, [1, 10]);
  });

  it('applies a function to every module, children first', () => {
    const seen: string[] = [];
    net().apply((mod) => seen.push(mod.constructor.name));
    assert.deepEqual(seen, [
      'Conv2d',
      'BatchNorm2d',
      'ReLU',
      'Dropout',
      'Flatten',
      'Linear',
      'Sequential',
    ]);
  });

  it('prints a readable tree', () => {
    const text = net().toString();
    assert.match(text, /^Sequential\(\n {2}\(0\): Conv2d\(1, 4, kernelSize=\[3,3\], bias=true\)/);
    assert.match(text, /\(5\): Linear\(inFeatures=64, outFeatures=3, bias=true\)\n\)$/);
  });

  it('refuses a state dict with other keys or shapes, naming them', () => {
    const m = net();
    const state = new Map(m.stateDict());
    state.delete('5.bias');
    assert.throws(
      () => m.loadStateDict(state),
      /loadStateDict: keys do not match: missing \[5\.bias\]/,
    );
    const wrong = new Map(m.stateDict());
    wrong.set('5.weight', randn([3, 65]));
    assert.throws(
      () => m.loadStateDict(wrong),
      /'5\.weight' has shape \[3,65\] but the model expects \[3,64\]/,
    );
  });

  it('initialises conv and linear weights within ±1/√fan_in, as PyTorch', () => {
    const conv = new nn.Conv2d(8, 16, 3);
    const bound = 1 / Math.sqrt(8 * 9);
    assert.ok(conv.weight.data.every((v) => Math.abs(v) <= bound));
    assert.ok(Math.max(...conv.weight.data) > 0.8 * bound);
  });

  it('gives clear errors for bad layer arguments and inputs', () => {
    assert.throws(
      () => new nn.Conv2d(3, 8, 3, { groups: 2 }),
      /Conv2d: groups \(2\) must divide inChannels \(3\) and outChannels \(8\)/,
    );
    assert.throws(
      () => new nn.BatchNorm2d(4).forward(randn([4, 3])),
      /BatchNorm2d: expected 4-D input \(N, C, H, W\), got shape \[4,3\]/,
    );
    assert.throws(
      () => new nn.GroupNorm(3, 8),
      /GroupNorm: numGroups \(3\) must divide numChannels \(8\)/,
    );
  });
});

describe('losses as objects', () => {
  it('compute the functional loss with fixed options', () => {
    const logits = randn([4, 3]);
    const target = randn([4, 3]);
    assert.equal(
      new nn.MSELoss({ reduction: 'sum' }).forward(logits, target).item(),
      square(sub(logits, target)).sum().item(),
    );
  });
});
