import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Adam,
  Conv2d,
  DataLoader,
  fashionMnistSample,
  fit,
  Flatten,
  Generator,
  Linear,
  manualSeed,
  ReLU,
  robustAccuracy,
  robustnessChart,
  robustnessCurve,
  Sequential,
  toFloat,
  type AttackSpec,
  type Dataset,
} from '../../src/index.js';

/** The first n samples of a split, as float pixels in [0, 1] (the attacks' default bounds). */
function firstPixels(split: 'train' | 'test', n: number): Dataset {
  const [data, scale] = [fashionMnistSample(split), toFloat()];
  return { length: n, get: (i, g) => scale(data.get(i), g ?? new Generator(0)) };
}

/** A one-conv CNN trained for 2 epochs on 2,000 Fashion-MNIST images (about 2 s plain). */
async function trainSmallCnn(adversarial?: AttackSpec) {
  manualSeed(0);
  const model = new Sequential(
    new Conv2d(1, 8, 5, { stride: 2 }),
    new ReLU(),
    new Flatten(),
    new Linear(8 * 12 * 12, 10),
  );
  await fit(model, firstPixels('train', 2000), {
    optimizer: new Adam(model.parameters(), { lr: 3e-3 }),
    epochs: 2,
    batchSize: 64,
    generator: new Generator(1),
    adversarial,
  });
  return model;
}

describe('robustness', () => {
  const test = new DataLoader(firstPixels('test', 200), { batchSize: 100 });
  const attack = { steps: 5, generator: new Generator(2) };

  it('PGD lowers the accuracy of a trained model monotonically in eps', async () => {
    const model = await trainSmallCnn();
    const curve = robustnessCurve(model, test, { epsilons: [0, 0.03, 0.06, 0.1], ...attack });
    assert.deepEqual(
      curve.map((p) => p.eps),
      [0, 0.03, 0.06, 0.1],
    );
    assert.ok(curve[0].accuracy > 0.6, `clean accuracy ${curve[0].accuracy}`);
    for (let i = 1; i < curve.length; i++)
      assert.ok(curve[i].accuracy < curve[i - 1].accuracy, JSON.stringify(curve));
    assert.ok(curve[3].accuracy < curve[0].accuracy / 2, JSON.stringify(curve));
    const svg = robustnessChart([{ name: 'plain', points: curve }], 'PGD-5, L∞');
    assert.match(svg, /^<svg[^]*PGD-5, L∞[^]*<polyline[^]*<\/svg>$/);
  });

  it('adversarial training raises robust accuracy over plain training on the same budget', async () => {
    const plain = await trainSmallCnn();
    const robust = await trainSmallCnn({ attack: 'fgsm', eps: 0.1 });
    const [plainRobust, robustRobust] = [plain, robust].map((m) =>
      robustAccuracy(m, test, { eps: 0.1, ...attack }),
    );
    assert.ok(robustRobust > plainRobust + 0.1, `robust ${robustRobust}, plain ${plainRobust}`);
  });
});
