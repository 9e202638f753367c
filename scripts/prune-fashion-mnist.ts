/**
 * Pruning measured on the shipped Fashion-MNIST sample: the fashion_cnn of
 * test/fixtures/deploy/fashion-cnn (trained by `fovea train --epochs 3 --seed 0`) is pruned by
 * magnitude (50% and 80% of the conv and linear weights, one global threshold) and by channels
 * (half the channels of each conv and hidden linear layer, smallest L1 norm), then fine-tuned for
 * one epoch on the 10,000 training images (AdamW, lr 1e-3; masked weights kept at zero by
 * KeepPruned). Prints parameters and test accuracy (2,000 images) before pruning, after it and
 * after fine-tuning.
 *
 *   npx tsx scripts/prune-fashion-mnist.ts      (about 3 minutes on 2 cores)
 *
 * The numbers are in docs/deployment.md.
 */
import {
  Accuracy,
  AdamW,
  compose,
  evaluate,
  fashionMnistSample,
  fit,
  KeepPruned,
  loadModel,
  magnitudePrune,
  manualSeed,
  normalize,
  pruneChannels,
  toFloat,
  type Callback,
  type Dataset,
  type Module,
} from '../src/index.js';
import { Generator } from '../src/tensor/random.js';

const FIXTURE = 'test/fixtures/deploy/fashion-cnn';
const { config } = loadModel(FIXTURE);
const pre = compose([toFloat(), normalize(config.normalization!)]);
const prepared = (d: Dataset): Dataset => ({
  length: d.length,
  get: (i, g) => pre(d.get(i), g ?? new Generator(0)),
});
const train = prepared(fashionMnistSample('train'));
const test = prepared(fashionMnistSample('test'));

const accuracy = (m: Module) =>
  (100 * evaluate(m, test, { metrics: [new Accuracy()] }).accuracy).toFixed(2);
const nonZero = (m: Module) =>
  m.parameters().reduce((s, p) => s + p.data.filter((v) => v !== 0).length, 0);

async function row(label: string, prune: (m: Module) => Callback[]): Promise<void> {
  manualSeed(0);
  const { model } = loadModel(FIXTURE);
  const before = [nonZero(model), accuracy(model)];
  const callbacks = prune(model);
  const pruned = [nonZero(model), accuracy(model)];
  await fit(model, train, {
    optimizer: new AdamW(model.parameters(), { lr: 1e-3 }),
    batchSize: 64,
    callbacks,
  });
  console.log(
    `| ${label} | ${before[0]} → ${pruned[0]} | ${before[1]}% | ${pruned[1]}% | ${accuracy(model)}% |`,
  );
}

console.log('| pruning | non-zero parameters | fp32 | pruned | fine-tuned 1 epoch |');
console.log('| --- | --- | --- | --- | --- |');
for (const amount of [0.5, 0.8]) {
  await row(`magnitude ${100 * amount}% (global)`, (m) => [
    new KeepPruned(magnitudePrune(m, { amount })),
  ]);
}
await row('channels 50%', (m) => (pruneChannels(m, { amount: 0.5 }), []));
