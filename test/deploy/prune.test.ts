import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Adam,
  BatchNorm2d,
  Conv2d,
  createModel,
  fit,
  Flatten,
  KeepPruned,
  Linear,
  magnitudePrune,
  MaxPool2d,
  noGrad,
  pruneChannels,
  randint,
  randn,
  ReLU,
  Sequential,
  TensorDataset,
} from '../../src/index.js';
import { Generator } from '../../src/tensor/random.js';
import { BasicBlock, type ResNet } from '../../src/nn/zoo/resnet.js';
import { InvertedResidual, type MobileNetV2 } from '../../src/nn/zoo/mobilenet-v2.js';
import { maxAbsDiff, parameterCount, randomizeNorms } from './helpers.js';

const generator = () => new Generator(5);

/** conv 2→6 → ReLU → pool → conv 6→4 → ReLU → flatten → linear 4·3·3→5 → ReLU → linear 5→3. */
function chain(withNorm = false): Sequential {
  return new Sequential(
    new Conv2d(2, 6, 3, { padding: 1 }),
    ...(withNorm ? [new BatchNorm2d(6)] : []),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 4, 3, { padding: 1 }),
    new ReLU(),
    new Flatten(),
    new Linear(4 * 3 * 3, 5),
    new ReLU(),
    new Linear(5, 3),
  );
}

describe('magnitudePrune', () => {
  it('zeroes exactly the smallest fraction, globally or per layer', () => {
    const model = chain();
    const weights = model.parameters().filter((p) => p.ndim > 1);
    const all = weights.flatMap((w) => Array.from(w.data, Math.abs)).sort((a, b) => a - b);
    const masks = magnitudePrune(model, { amount: 0.5 });
    const zeros = weights.reduce((s, w) => s + w.data.filter((v) => v === 0).length, 0);
    assert.equal(zeros, Math.floor(0.5 * all.length));
    assert.equal(masks.sparsity(), zeros / all.length);
    const largestPruned = all[Math.floor(0.5 * all.length) - 1];
    for (const w of weights)
      for (const v of w.data) assert.ok(v === 0 || Math.abs(v) >= largestPruned);

    const perLayer = chain();
    magnitudePrune(perLayer, { amount: 0.25, scope: 'layer' });
    for (const w of perLayer.parameters().filter((p) => p.ndim > 1)) {
      assert.equal(w.data.filter((v) => v === 0).length, Math.floor(0.25 * w.size));
    }
  });

  it('keeps pruned weights at zero while fit fine-tunes with KeepPruned', async () => {
    const model = chain();
    const masks = magnitudePrune(model, { amount: 0.6 });
    const before = model.parameters().map((p) => Float32Array.from(p.data));
    const data = new TensorDataset(
      randn([32, 2, 6, 6], { generator: generator() }),
      randint(0, 3, [32], { generator: generator() }),
    );
    await fit(model, data, {
      optimizer: new Adam(model.parameters(), { lr: 1e-2, weightDecay: 1e-2 }),
      epochs: 2,
      batchSize: 8,
      callbacks: [new KeepPruned(masks)],
    });
    for (const { weight, mask } of masks.entries) {
      weight.data.forEach((v, i) =>
        assert.ok(mask[i] === 1 || v === 0, `pruned weight ${i} is ${v}`),
      );
    }
    assert.ok(
      model
        .parameters()
        .some((p, i) => maxAbsDiff(p, { data: before[i], size: p.size } as never) > 0),
    );
  });

  it('refuses an amount outside [0, 1)', () => {
    assert.throws(
      () => magnitudePrune(chain(), { amount: 1 }),
      /magnitudePrune: amount must be a fraction in \[0, 1\), got 1/,
    );
  });
});

describe('pruneChannels', () => {
  it('removes the weakest channels of each conv and hidden linear, and what reads them', () => {
    const model = chain(true);
    const count = parameterCount(model);
    const report = pruneChannels(model, { amount: 0.5 });
    assert.deepEqual(report, [
      { name: '0', before: 6, after: 3 },
      { name: '4', before: 4, after: 2 },
      { name: '7', before: 5, after: 3 },
    ]);
    assert.ok(parameterCount(model) < count);
    assert.equal((model.at(1) as BatchNorm2d).running_mean!.size, 3);
    assert.equal((model.at(7) as Linear).inFeatures, 2 * 3 * 3);
    assert.equal(model.forward(randn([3, 2, 6, 6])).shape.join(), '3,3');
  });

  it('is exact when the removed channels carry nothing', () => {
    const model = new Sequential(
      new Conv2d(2, 4, 3, { padding: 1 }),
      new BatchNorm2d(4),
      new ReLU(),
      new Conv2d(4, 3, 1),
    );
    randomizeNorms(model);
    const conv = model.at(0) as Conv2d;
    // Channels 1 and 3 have the smallest weights; give their norm a shift that ReLU removes.
    for (const c of [1, 3]) conv.weight.data.fill(1e-4, c * 18, (c + 1) * 18);
    const norm = model.at(1) as BatchNorm2d;
    for (const c of [1, 3]) {
      norm.bias!.data[c] = -10;
      norm.running_mean!.data[c] = 0;
    }
    model.eval();
    const x = randn([2, 2, 5, 5], { generator: generator() });
    const before = noGrad(() => model.forward(x));
    pruneChannels(model, { amount: 0.5 });
    assert.equal(norm.running_var!.size, 2);
    const after = noGrad(() => model.forward(x));
    assert.ok(maxAbsDiff(before, after) < 1e-6);
  });

  it('shrinks fashion_cnn, batch norms and the first linear layer included', () => {
    const model = createModel('fashion_cnn', { widthMult: 0.5 });
    const report = pruneChannels(model, { amount: 0.5 });
    assert.deepEqual(
      report.map((r) => [r.name, r.before, r.after]),
      [
        ['features.0', 16, 8],
        ['features.4', 32, 16],
        ['classifier.1', 64, 32],
      ],
    );
    assert.equal(model.forward(randn([2, 1, 28, 28])).shape.join(), '2,10');
  });

  it('prunes inside ResNet blocks and keeps what the additions read', () => {
    const model = createModel('resnet18', { numClasses: 10 }) as ResNet;
    const block = model.layer1.at(0) as BasicBlock;
    const stream = block.conv2.outChannels;
    const count = parameterCount(model);
    const report = pruneChannels(model, { amount: 0.5 });
    assert.deepEqual(report.length, 8); // conv1 of each of the 8 blocks
    assert.deepEqual(report[0], { name: 'layer1.0.conv1', before: stream, after: stream / 2 });
    assert.equal(block.bn1.running_mean!.size, stream / 2);
    assert.equal(block.conv2.inChannels, stream / 2);
    assert.equal(block.conv2.outChannels, stream);
    assert.ok(parameterCount(model) < 0.7 * count);
    assert.equal(model.forward(randn([2, 3, 32, 32])).shape.join(), '2,10');
  });

  it('is exact inside a ResNet block when the removed channels carry nothing', () => {
    const block = new BasicBlock(4, 6);
    randomizeNorms(block);
    // Channels 0, 2 and 5 of conv1: tiny weights, and a norm shift the ReLU removes.
    for (const c of [0, 2, 5]) {
      block.conv1.weight.data.fill(1e-4, c * 36, (c + 1) * 36);
      block.bn1.bias!.data[c] = -10;
      block.bn1.running_mean!.data[c] = 0;
    }
    block.eval();
    const x = randn([2, 4, 5, 5], { generator: generator() });
    const before = noGrad(() => block.forward(x));
    pruneChannels(block, { amount: 0.5 });
    assert.equal(block.conv1.outChannels, 3);
    assert.ok(
      maxAbsDiff(
        before,
        noGrad(() => block.forward(x)),
      ) < 1e-6,
    );
  });

  it('prunes the expanded channels of MobileNetV2 blocks, depthwise convs included', () => {
    const model = createModel('mobilenet_v2', { numClasses: 10, widthMult: 0.5 }) as MobileNetV2;
    const block = model.features.at(3) as InvertedResidual;
    const [expand, depthwise] = [block.conv.at(0), block.conv.at(1)] as Sequential[];
    const hidden = (expand.at(0) as Conv2d).outChannels;
    const report = pruneChannels(model, { amount: 0.5 });
    assert.ok(report.some((r) => r.name === 'features.3.conv.0.0' && r.after === hidden / 2));
    const dw = depthwise.at(0) as Conv2d;
    assert.deepEqual(
      [dw.inChannels, dw.outChannels, dw.groups],
      [hidden / 2, hidden / 2, hidden / 2],
    );
    assert.equal((block.conv.at(2) as Conv2d).inChannels, hidden / 2);
    assert.equal(model.forward(randn([2, 3, 32, 32])).shape.join(), '2,10');
    // Gradients reach every remaining parameter, so the pruned model can be fine-tuned.
    model
      .forward(randn([2, 3, 32, 32]))
      .sum()
      .backward();
    assert.ok(model.parameters().every((p) => p.grad !== null));
  });
});
