/**
 * Makes the robustness curve of docs/robustness.md and prints its figures: a small CNN (one 5×5
 * conv, stride 2, 8 channels, then a linear layer) trained on the shipped Fashion-MNIST sample
 * (pixels in [0, 1]) for 3 epochs three ways — plainly, with FGSM adversarial training and with
 * PGD-3 adversarial training (both at ε = 0.1) — then attacked with PGD-10 (L∞) at several ε
 * on the first 500 test images. Seeded: a rerun gives the same numbers on the same backend.
 *
 *   npx tsx scripts/make-robustness-images.ts [OUT_DIR]    (default docs/images)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
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
  robustnessChart,
  robustnessCurve,
  Sequential,
  toFloat,
  type AttackSpec,
  type Dataset,
} from '../src/index.js';

const out = process.argv[2] ?? 'docs/images';
const EPSILONS = [0, 0.025, 0.05, 0.075, 0.1, 0.15];
const EPOCHS = 3;
const TEST_IMAGES = 500;

const pixels = (d: Dataset, n = d.length): Dataset => ({
  length: n,
  get: (i, g) => toFloat()(d.get(i), g ?? new Generator(0)),
});
const train = pixels(fashionMnistSample('train'));
const test = new DataLoader(pixels(fashionMnistSample('test'), TEST_IMAGES), { batchSize: 100 });

const trainings: { name: string; adversarial?: AttackSpec }[] = [
  { name: 'plain training' },
  { name: 'FGSM training, ε 0.1', adversarial: { attack: 'fgsm', eps: 0.1 } },
  { name: 'PGD-3 training, ε 0.1', adversarial: { attack: 'pgd', eps: 0.1, steps: 3 } },
];
const series = [];
for (const { name, adversarial } of trainings) {
  manualSeed(0);
  const model = new Sequential(
    new Conv2d(1, 8, 5, { stride: 2 }),
    new ReLU(),
    new Flatten(),
    new Linear(8 * 12 * 12, 10),
  );
  const start = performance.now();
  await fit(model, train, {
    optimizer: new Adam(model.parameters(), { lr: 3e-3 }),
    epochs: EPOCHS,
    batchSize: 64,
    generator: new Generator(1),
    adversarial,
  });
  const seconds = (performance.now() - start) / 1000;
  const points = robustnessCurve(model, test, {
    epsilons: EPSILONS,
    attack: 'pgd',
    steps: 10,
    generator: new Generator(2),
  });
  series.push({ name, points });
  console.log(
    `| ${name} | ${seconds.toFixed(0)} s | ${points.map((p) => `${(100 * p.accuracy).toFixed(1)}%`).join(' | ')} |`,
  );
}
mkdirSync(out, { recursive: true });
const svg = robustnessChart(series, `PGD-10 (L∞) on ${TEST_IMAGES} Fashion-MNIST test images`);
writeFileSync(join(out, 'robustness-curve.svg'), `${svg}\n`);
await sharp(Buffer.from(svg))
  .flatten({ background: '#ffffff' })
  .png()
  .toFile(join(out, 'robustness-curve.png'));
console.log(`ε: ${EPSILONS.join(', ')}; wrote ${out}/robustness-curve.svg and .png`);
