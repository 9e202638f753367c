/**
 * What the fixture harness (layers.test.ts) cannot show: training vs eval behaviour, PyTorch's
 * default initialisation, module-tree operations on real layers, and the errors for bad
 * constructor arguments and inputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nn from '../../src/nn/index.js';
import {
  FoveaError,
  manualSeed,
  mean,
  ones,
  randn,
  sum,
  variance,
  type Tensor,
} from '../../src/index.js';

const values = (t: Tensor) => Array.from(t.data);

describe('training and eval mode', () => {
  it('Dropout drops about p of the elements in training, scales the rest, and is the identity in eval', () => {
    manualSeed(0);
    const layer = new nn.Dropout(0.3);
    const out = values(layer.forward(ones([100, 100])));
    const zeros = out.filter((v) => v === 0).length / out.length;
    assert.ok(Math.abs(zeros - 0.3) < 0.02, `dropped ${zeros}`);
    assert.ok(out.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
    const x = randn([4, 5]);
    assert.equal(layer.eval().forward(x), x);
  });

  it('Dropout2d drops whole channels', () => {
    manualSeed(1);
    const out = new nn.Dropout2d(0.5).forward(ones([8, 16, 3, 3]));
    const planes = Array.from({ length: 8 * 16 }, (_, i) => values(out).slice(i * 9, i * 9 + 9));
    assert.ok(
      planes.every((p) => p.every((v) => v === p[0])),
      'each plane all dropped or all kept',
    );
    const dropped = planes.filter((p) => p[0] === 0).length;
    assert.ok(dropped > 30 && dropped < 98, `${dropped} of 128 planes dropped`);
  });

  it('repeats dropout masks after the same manualSeed', () => {
    const layer = new nn.Dropout(0.5);
    manualSeed(7);
    const a = values(layer.forward(ones([50])));
    manualSeed(7);
    assert.deepEqual(values(layer.forward(ones([50]))), a);
  });

  it('BatchNorm2d normalises with batch statistics and updates running ones only in training', () => {
    manualSeed(2);
    const bn = new nn.BatchNorm2d(3);
    const x = randn([4, 3, 5, 5]).mul(3).add(2);
    const out = bn.forward(x);
    for (const v of values(mean(out, [0, 2, 3]))) assert.ok(Math.abs(v) < 1e-5);
    for (const v of values(variance(out, [0, 2, 3], { correction: 0 }))) {
      assert.ok(Math.abs(v - 1) < 1e-3);
    }
    assert.equal(bn.num_batches_tracked!.item(), 1);
    // r ← 0.9·r + 0.1·batch mean (and the unbiased batch variance).
    const batchMean = values(mean(x, [0, 2, 3]));
    values(bn.running_mean!).forEach((r, c) => assert.ok(Math.abs(r - 0.1 * batchMean[c]) < 1e-5));
    const runningVar = values(bn.running_var!);
    bn.eval();
    const evalOut = bn.forward(x);
    assert.equal(bn.num_batches_tracked!.item(), 1, 'eval does not count');
    assert.deepEqual(values(bn.running_var!), runningVar, 'eval does not update');
    // In eval, channel c is (x − running_mean) / √(running_var + eps).
    const c0 = (x.data[0] - bn.running_mean!.data[0]) / Math.sqrt(runningVar[0] + 1e-5);
    assert.ok(Math.abs(evalOut.data[0] - c0) < 1e-5);
  });

  it('BatchNorm without running statistics uses batch statistics in eval mode too', () => {
    const bn = new nn.BatchNorm1d(2, { trackRunningStats: false }).eval();
    assert.equal(bn.running_mean, null);
    const out = bn.forward(randn([6, 2]).add(5));
    for (const v of values(mean(out, 0))) assert.ok(Math.abs(v) < 1e-5);
  });

  it('InstanceNorm with running statistics uses them in eval mode and never counts batches', () => {
    manualSeed(3);
    const norm = new nn.InstanceNorm2d(2, { trackRunningStats: true });
    norm.forward(randn([2, 2, 3, 3]).add(4));
    assert.equal(norm.num_batches_tracked!.item(), 0, "PyTorch's instance norm never counts");
    assert.ok(
      values(norm.running_mean!).every((v) => v > 0.2),
      'running mean moved toward 4',
    );
    const x = randn([1, 2, 3, 3]);
    const shifted = norm.eval().forward(x);
    const own = norm.train().forward(x);
    assert.notDeepEqual(values(shifted), values(own));
  });

  it('InstanceNorm accepts unbatched input, as PyTorch', () => {
    const x = randn([3, 4, 4]);
    const norm = new nn.InstanceNorm2d(3);
    assert.deepEqual(values(norm.forward(x)), values(norm.forward(x.unsqueeze(0))));
  });

  it('train() and eval() reach every descendant', () => {
    const m = new nn.Sequential(new nn.Residual(new nn.Dropout()), new nn.BatchNorm1d(2)).eval();
    assert.ok(m.namedModules().every(([, mod]) => !mod.training));
    m.train();
    assert.ok(m.namedModules().every(([, mod]) => mod.training));
  });
});

describe("PyTorch's default initialisation", () => {
  /** Checks that a tensor looks like U(−bound, bound): in range, spread out, centred. */
  function assertUniform(t: Tensor, bound: number, what: string): void {
    const v = values(t);
    assert.ok(
      v.every((x) => Math.abs(x) <= bound),
      `${what} within ±${bound}`,
    );
    assert.ok(Math.max(...v.map(Math.abs)) > 0.9 * bound, `${what} reaches near ±${bound}`);
    if (v.length >= 1000) {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const varOf = v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
      assert.ok(Math.abs(m) < 0.05 * bound, `${what} mean ${m}`);
      assert.ok(Math.abs(varOf / ((bound * bound) / 3) - 1) < 0.1, `${what} variance ${varOf}`);
    }
  }

  it('conv weights and biases are U(±1/√fan_in), fan_in = C_in/groups · ∏kernel', () => {
    manualSeed(4);
    const conv = new nn.Conv2d(16, 32, 3);
    assertUniform(conv.weight, 1 / Math.sqrt(16 * 9), 'Conv2d weight');
    assertUniform(conv.bias!, 1 / Math.sqrt(16 * 9), 'Conv2d bias');
    const grouped = new nn.Conv1d(8, 64, 5, { groups: 4 });
    assertUniform(grouped.weight, 1 / Math.sqrt(2 * 5), 'grouped Conv1d weight');
    const conv3d = new nn.Conv3d(2, 8, [3, 2, 2]);
    assertUniform(conv3d.weight, 1 / Math.sqrt(2 * 12), 'Conv3d weight');
  });

  it('transposed conv weights use their dim 1, C_out/groups · ∏kernel, as PyTorch', () => {
    manualSeed(5);
    const up = new nn.ConvTranspose2d(16, 32, 3, { groups: 2 });
    assert.deepEqual(up.weight.shape, [16, 16, 3, 3]);
    assertUniform(up.weight, 1 / Math.sqrt(16 * 9), 'ConvTranspose2d weight');
    assertUniform(up.bias!, 1 / Math.sqrt(16 * 9), 'ConvTranspose2d bias');
  });

  it('Linear is U(±1/√inFeatures)', () => {
    manualSeed(6);
    const fc = new nn.Linear(100, 50);
    assertUniform(fc.weight, 0.1, 'Linear weight');
    assertUniform(fc.bias!, 0.1, 'Linear bias');
  });

  it('norm layers start at weight 1, bias 0, running mean 0, variance 1, no batches', () => {
    for (const norm of [
      new nn.BatchNorm2d(3),
      new nn.InstanceNorm1d(3, { affine: true, trackRunningStats: true }),
    ]) {
      assert.deepEqual(values(norm.weight!), [1, 1, 1]);
      assert.deepEqual(values(norm.bias!), [0, 0, 0]);
      assert.deepEqual(values(norm.running_mean!), [0, 0, 0]);
      assert.deepEqual(values(norm.running_var!), [1, 1, 1]);
      assert.equal(norm.num_batches_tracked!.dtype, 'int32');
      assert.equal(norm.num_batches_tracked!.item(), 0);
    }
    const ln = new nn.LayerNorm([2, 2]);
    assert.deepEqual(
      [values(ln.weight!), values(ln.bias!)],
      [
        [1, 1, 1, 1],
        [0, 0, 0, 0],
      ],
    );
    assert.deepEqual(values(new nn.GroupNorm(1, 2).weight!), [1, 1]);
  });

  it('PReLU starts every slope at init (0.25 by default)', () => {
    assert.deepEqual(values(new nn.PReLU().weight), [0.25]);
    assert.deepEqual(values(new nn.PReLU(2, 0.1).weight), [0.1, 0.1].map(Math.fround));
  });

  it('is repeatable after manualSeed', () => {
    manualSeed(9);
    const a = values(new nn.Conv2d(2, 3, 3).weight);
    manualSeed(9);
    assert.deepEqual(values(new nn.Conv2d(2, 3, 3).weight), a);
  });
});

describe('module trees of real layers', () => {
  const net = () =>
    new nn.Sequential(
      new nn.Conv2d(1, 4, 3),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.Dropout(0.5),
      new nn.Flatten(),
      new nn.Linear(4 * 4 * 4, 3),
    );

  it("names nested parameters and buffers as PyTorch's state dict", () => {
    assert.deepEqual(
      new Set(net().stateDict().keys()),
      new Set([
        '0.weight',
        '0.bias',
        '1.weight',
        '1.bias',
        '1.running_mean',
        '1.running_var',
        '1.num_batches_tracked',
        '5.weight',
        '5.bias',
      ]),
    );
  });

  it('freezes a subtree: its parameters get no gradient, the rest do; unfreeze undoes it', () => {
    const m = net();
    m.at(0).freeze();
    assert.deepEqual(
      m.parameters().map((p) => p.requiresGrad),
      [false, false, true, true, true, true],
    );
    sum(m.forward(randn([2, 1, 6, 6]))).backward();
    assert.equal(m.parameters()[0].grad, null);
    assert.ok(m.parameters()[5].grad);
    m.unfreeze();
    assert.ok(m.parameters().every((p) => p.requiresGrad));
  });

  it('applies a function to every module, children first (PyTorch order)', () => {
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

  it('apply can re-initialise layers, e.g. zero every bias', () => {
    const m = net().apply((mod) => {
      if (mod instanceof nn.Conv2d || mod instanceof nn.Linear) mod.bias!.data.fill(0);
    });
    assert.ok(values((m.at(0) as nn.Conv2d).bias!).every((v) => v === 0));
    assert.ok(values((m.at(-1) as nn.Linear).bias!).every((v) => v === 0));
  });

  it('swaps, appends and indexes modules of a Sequential', () => {
    const m = net();
    m.set(5, new nn.Linear(64, 10));
    assert.deepEqual(m.forward(randn([1, 1, 6, 6])).shape, [1, 10]);
    assert.equal(m.at(-1), m.at(5));
    m.append(new nn.Softmax(1));
    assert.equal(m.length, 7);
    assert.equal([...m.stateDict().keys()].filter((k) => k.startsWith('5.')).length, 2);
    assert.ok(m.toString().endsWith('  (6): Softmax(dim=1)\n)'));
  });

  it('makes a fresh activation for each place in DepthwiseSeparableConv2d', () => {
    const block = new nn.DepthwiseSeparableConv2d(4, 8, 3, { activation: () => new nn.ReLU6() });
    assert.ok(block.act1 instanceof nn.ReLU6);
    assert.notEqual(block.act1, block.act2);
    assert.deepEqual(block.depthwise.weight.shape, [4, 1, 3, 3]);
    assert.deepEqual(block.pointwise.weight.shape, [8, 4, 1, 1]);
  });

  it('exposes the resolved convolution arguments, as PyTorch attributes', () => {
    const conv = new nn.Conv2d(4, 8, [3, 5], { stride: 2, padding: 1, groups: 2 });
    assert.deepEqual(
      [conv.kernelSize, conv.stride, conv.padding, conv.dilation, conv.groups, conv.paddingMode],
      [[3, 5], [2, 2], [1, 1], [1, 1], 2, 'zeros'],
    );
  });
});

describe('bad arguments and inputs', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'Conv2d channels',
      () => new nn.Conv2d(0, 8, 3),
      /^Conv2d: inChannels must be a positive integer, got 0$/,
    ],
    [
      'Conv2d groups',
      () => new nn.Conv2d(3, 8, 3, { groups: 2 }),
      /^Conv2d: groups \(2\) must be a positive integer dividing inChannels \(3\) and outChannels \(8\)$/,
    ],
    [
      'Conv2d kernel',
      () => new nn.Conv2d(3, 8, [3, 3, 3]),
      /^Conv2d: kernelSize must have 2 entries, got \[3, 3, 3\]$/,
    ],
    [
      'Conv1d stride',
      () => new nn.Conv1d(3, 8, 3, { stride: 0 }),
      /^Conv1d: stride must be integers ≥ 1, got \[0\]$/,
    ],
    [
      "strided 'same'",
      () => new nn.Conv2d(3, 8, 3, { stride: 2, padding: 'same' }),
      /^Conv2d: padding 'same' needs stride 1 \(as in PyTorch\), got stride \[2,2\]$/,
    ],
    [
      'padding string',
      () => new nn.Conv2d(3, 8, 3, { padding: 'full' as 'same' }),
      /^Conv2d: padding must be a number, a list, 'same' or 'valid', got 'full'$/,
    ],
    [
      'paddingMode',
      () => new nn.Conv1d(3, 8, 3, { paddingMode: 'mirror' as 'reflect' }),
      /^Conv1d: paddingMode must be one of zeros, reflect, replicate, circular, got 'mirror'$/,
    ],
    [
      'outputPadding',
      () => new nn.ConvTranspose2d(4, 4, 3, { stride: 2, outputPadding: 2 }),
      /^ConvTranspose2d: outputPadding \[2,2\] must be smaller than stride \[2,2\] or dilation \[1,1\] in each dim$/,
    ],
    [
      'conv input channels',
      () => new nn.Conv2d(3, 8, 3).forward(randn([1, 4, 8, 8])),
      /^conv2d: input has 4 channels but weight expects 3 \(weight shape \[8,3,3,3\]\)$/,
    ],
    [
      'Linear features',
      () => new nn.Linear(10, 0),
      /^Linear: outFeatures must be a positive integer, got 0$/,
    ],
    [
      'Linear input',
      () => new nn.Linear(10, 5).forward(randn([2, 9])),
      /^linear: input has 9 features \(last dim of \[2,9\]\) but weight expects 10/,
    ],
    [
      'BatchNorm2d rank',
      () => new nn.BatchNorm2d(4).forward(randn([4, 3])),
      /^BatchNorm2d: expected 4-D \(N, C, H, W\) input, got shape \[4,3\]$/,
    ],
    [
      'BatchNorm1d rank',
      () => new nn.BatchNorm1d(4).forward(randn([4])),
      /^BatchNorm1d: expected 2-D \(N, C\) or 3-D \(N, C, L\) input, got shape \[4\]$/,
    ],
    [
      'BatchNorm2d channels',
      () => new nn.BatchNorm2d(4, { affine: false }).forward(randn([2, 3, 5, 5])),
      /^BatchNorm2d: expected 4 channels \(dim 1 of N, C, H, W\), got 3 in input shape \[2,3,5,5\]$/,
    ],
    [
      'BatchNorm one value per channel',
      () => new nn.BatchNorm1d(3).forward(randn([1, 3])),
      /^batchNorm: expected more than 1 value per channel when training, got input shape \[1,3\]$/,
    ],
    [
      'BatchNorm momentum',
      () => new nn.BatchNorm2d(4, { momentum: 2 }),
      /^BatchNorm2d: momentum must be in \[0, 1\] or null, got 2$/,
    ],
    [
      'BatchNorm features',
      () => new nn.BatchNorm2d(2.5),
      /^BatchNorm2d: numFeatures must be a positive integer, got 2.5$/,
    ],
    [
      'InstanceNorm momentum',
      () => new nn.InstanceNorm2d(3, { momentum: null }),
      /^InstanceNorm2d: momentum null \(a cumulative average\) is for batch norm only; give a number$/,
    ],
    [
      'GroupNorm groups',
      () => new nn.GroupNorm(3, 8),
      /^GroupNorm: numGroups \(3\) must divide numChannels \(8\)$/,
    ],
    [
      'GroupNorm input',
      () => new nn.GroupNorm(2, 8).forward(randn([1, 6, 2, 2])),
      /^GroupNorm: expected input \[N, 8, \.\.\.\] \(numChannels\), got shape \[1,6,2,2\]$/,
    ],
    [
      'LayerNorm shape',
      () => new nn.LayerNorm([4, 0]),
      /^LayerNorm: normalizedShape must be a positive integer or a non-empty list of them, got \[4, 0\]$/,
    ],
    [
      'LocalResponseNorm size',
      () => new nn.LocalResponseNorm(0),
      /^LocalResponseNorm: size must be a positive integer, got 0$/,
    ],
    [
      'MaxPool2d kernel',
      () => new nn.MaxPool2d(0),
      /^MaxPool2d: kernelSize must be integers ≥ 1, got \[0, 0\]$/,
    ],
    [
      'MaxPool2d stride',
      () => new nn.MaxPool2d(2, { stride: [1, 2, 3] }),
      /^MaxPool2d: stride must have 2 entries, got \[1, 2, 3\]$/,
    ],
    [
      'AvgPool1d padding',
      () => new nn.AvgPool1d(2, { padding: 2 }),
      /^AvgPool1d: padding \[2\] must be at most half of kernelSize \[2\]$/,
    ],
    [
      'pool input too small',
      () => new nn.MaxPool2d(3).forward(randn([1, 1, 2, 2])),
      /^maxPool2d: kernelSize \[3,3\] is larger than the input \[1,1,2,2\]/,
    ],
    [
      'AdaptiveAvgPool2d size',
      () => new nn.AdaptiveAvgPool2d([2, 2, 2]),
      /^AdaptiveAvgPool2d: outputSize must be a positive integer or a list of 2 \(null keeps that input size\), got \[2,2,2\]$/,
    ],
    [
      'LPPool2d norm',
      () => new nn.LPPool2d(0, 2),
      /^LPPool2d: normType must be a positive number, got 0$/,
    ],
    [
      'Dropout p',
      () => new nn.Dropout(1.5),
      /^Dropout: p must be a probability in \[0, 1\], got 1.5$/,
    ],
    [
      'Dropout3d p',
      () => new nn.Dropout3d(-0.1),
      /^Dropout3d: p must be a probability in \[0, 1\], got -0.1$/,
    ],
    [
      'Dropout2d input',
      () => new nn.Dropout2d().forward(randn([2, 3])),
      /^dropout2d: expected input of 4 dimensions \(N, C, H, W\) or 3 without the batch/,
    ],
    [
      'Upsample neither',
      () => new nn.Upsample({}),
      /^Upsample: give exactly one of size and scaleFactor, got neither$/,
    ],
    [
      'Upsample both',
      () => new nn.Upsample({ size: 4, scaleFactor: 2 }),
      /^Upsample: give exactly one of size and scaleFactor, got both$/,
    ],
    [
      'Upsample input',
      () => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }).forward(randn([1, 2, 3])),
      /^interpolate: mode 'bilinear' needs a 4-D input \[N, C, H, W\], got shape \[1,2,3\]$/,
    ],
    [
      'PixelShuffle factor',
      () => new nn.PixelShuffle(0),
      /^PixelShuffle: upscaleFactor must be a positive integer, got 0$/,
    ],
    [
      'PReLU count',
      () => new nn.PReLU(0),
      /^PReLU: numParameters must be a positive integer, got 0$/,
    ],
    [
      'PReLU channels',
      () => new nn.PReLU(3).forward(randn([2, 4])),
      /^prelu: weight must be a 1-D tensor of 1 or 4 slopes \(input \[2,4\] has 4 channels\), got shape \[3\]$/,
    ],
    [
      'Sequential index',
      () => new nn.Sequential(new nn.ReLU()).at(3),
      /^Sequential: index 3 is out of range for 1 modules$/,
    ],
    [
      'loss shapes',
      () => new nn.MSELoss().forward(randn([4, 3]), randn([4])),
      /^mseLoss: target shape \[4\] must equal input shape \[4,3\]$/,
    ],
  ];

  for (const [name, fn, message] of cases) {
    it(name, () => {
      assert.throws(fn, (e: unknown) => {
        assert.ok(e instanceof FoveaError, `a FoveaError, got ${String(e)}`);
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it('a refused batch leaves the batch count as it was', () => {
    const bn = new nn.BatchNorm1d(3);
    assert.throws(() => bn.forward(randn([1, 3])));
    assert.equal(bn.num_batches_tracked!.item(), 0);
  });
});
