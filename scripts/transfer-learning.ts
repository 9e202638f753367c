/**
 * Transfer learning on the shipped Fashion-MNIST sample, measured: fashion_cnn (width 0.5) is
 * pretrained on classes 0-4 (T-shirt, Trouser, Pullover, Dress, Coat; 5,000 images), then
 * fine-tuned on 50 (then 10) images per class of classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle
 * boot): first the classifier (with a new last layer) alone on the frozen convolutions, then
 * everything with a 10× smaller learning rate for the backbone. The same architecture trained
 * from scratch on the same images, for as many steps, is the baseline. Both are scored on the
 * 1,000 test images of classes 5-9.
 *
 *   npx tsx scripts/transfer-learning.ts      (12 minutes on the busy shared 2-core machine)
 *
 * The numbers are in docs/transfer-learning.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdamW,
  compose,
  createModel,
  evaluate,
  fashionMnistSample,
  fit,
  freezeBackbone,
  loadPretrained,
  manualSeed,
  normalize,
  replaceHead,
  saveModel,
  tensor,
  TensorDataset,
  toFloat,
  transferParamGroups,
  type Dataset,
  type Module,
} from '../src/index.js';

const WIDTH = 0.5;
const STATS = { mean: [0.286], std: [0.353] }; // Fashion-MNIST pixel statistics in [0, 1]
const SOURCE_CLASSES = [0, 1, 2, 3, 4];
const TARGET_CLASSES = [5, 6, 7, 8, 9];
/** Training images per class of classes 5-9. */
const SHOTS = [50, 10];
/** What trains on the frozen backbone first: fashion_cnn's whole MLP classifier. */
const HEAD = 'classifier';
const PRETRAIN_EPOCHS = 1;
const HEAD_EPOCHS = 5;
const FINETUNE_EPOCHS = 15;
const LR = 2e-3;
const BATCH = 25;

/**
 * The images of `classes` (at most `perClass` of each, in file order), labels renumbered 0..k−1,
 * as float inputs normalized with the Fashion-MNIST statistics.
 */
function classSubset(split: 'train' | 'test', classes: number[], perClass = Infinity): Dataset {
  const source = fashionMnistSample(split);
  const taken = classes.map(() => 0);
  const indices: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const k = classes.indexOf(source.targets.data[i]);
    if (k >= 0 && taken[k] < perClass) {
      taken[k]++;
      indices.push(i);
      labels.push(k);
    }
  }
  const pixels = source.inputs.size / source.length;
  const inputs = new Uint8Array(indices.length * pixels);
  indices.forEach((i, n) =>
    inputs.set(source.inputs.data.subarray(i * pixels, (i + 1) * pixels), n * pixels),
  );
  return new TensorDataset(
    tensor(inputs, { dtype: 'uint8' }).reshape([indices.length, ...source.inputs.shape.slice(1)]),
    tensor(labels, { dtype: 'int32' }),
    { transform: compose([toFloat(), normalize(STATS)]) },
  );
}

const newModel = () => createModel('fashion_cnn', { numClasses: 5, widthMult: WIDTH });
const score = (model: Module, data: Dataset) => evaluate(model, data).accuracy;
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
const started = performance.now();
const log = (line: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${line}`);

manualSeed(0);
const pretrainData = classSubset('train', SOURCE_CLASSES);
const test = classSubset('test', TARGET_CLASSES);
log(`pretraining on ${pretrainData.length} images of classes 0-4`);

// 1. Pretrain on classes 0-4 and save, as any fovea run does.
const pretrained = newModel();
await fit(pretrained, pretrainData, {
  optimizer: new AdamW(pretrained.parameters(), { lr: LR }),
  epochs: PRETRAIN_EPOCHS,
  batchSize: 64,
});
const folder = mkdtempSync(join(tmpdir(), 'fovea-pretrained-'));
saveModel(folder, pretrained, {
  architecture: { name: 'fashion_cnn', options: { numClasses: 5, widthMult: WIDTH } },
  normalization: STATS,
});
log(
  `pretrained: ${percent(score(pretrained, classSubset('test', SOURCE_CLASSES)))} on classes 0-4`,
);

/**
 * Fine-tunes the pretrained backbone on `shots` images per class of classes 5-9 and trains the
 * same architecture from scratch on them; returns the test accuracies.
 */
async function compare(shots: number) {
  const fewShot = classSubset('train', TARGET_CLASSES, shots);
  // 2. Fine-tune: load the backbone, new head; the MLP head alone, then all with a smaller backbone lr.
  manualSeed(1);
  const model = newModel();
  loadPretrained(model, folder);
  replaceHead(model, TARGET_CLASSES.length);
  const head = freezeBackbone(model, { head: HEAD });
  await fit(model, fewShot, {
    optimizer: new AdamW(head.module.parameters(), { lr: LR }),
    epochs: HEAD_EPOCHS,
    batchSize: BATCH,
  });
  const headOnly = score(model, test);
  model.unfreeze();
  await fit(model, fewShot, {
    optimizer: new AdamW(transferParamGroups(model, { lr: LR, backboneLrScale: 0.1, head: HEAD })),
    epochs: FINETUNE_EPOCHS,
    batchSize: BATCH,
  });
  const fineTuned = score(model, test);

  // 3. The baseline: the same architecture from random init, same images, same number of steps.
  manualSeed(1);
  const scratch = newModel();
  await fit(scratch, fewShot, {
    optimizer: new AdamW(scratch.parameters(), { lr: LR }),
    epochs: HEAD_EPOCHS + FINETUNE_EPOCHS,
    batchSize: BATCH,
  });
  const fromScratch = score(scratch, test);
  log(
    `${shots} per class: from scratch ${percent(fromScratch)}, head only ${percent(headOnly)}, fine-tuned ${percent(fineTuned)}`,
  );
  return `| ${shots} | ${percent(fromScratch)} | ${percent(headOnly)} | ${percent(fineTuned)} |`;
}

const rows = [];
for (const shots of SHOTS) rows.push(await compare(shots));
rmSync(folder, { recursive: true });
console.log(`
| images per class | from scratch (${HEAD_EPOCHS + FINETUNE_EPOCHS} epochs) | pretrained, head only (${HEAD_EPOCHS} epochs) | + fine-tuned, backbone lr ×0.1 (${FINETUNE_EPOCHS} epochs) |
| --- | --- | --- | --- |
${rows.join('\n')}`);
