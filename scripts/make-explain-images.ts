/**
 * Makes the pictures of docs/explain.md: trains fashion_cnn (width 0.25, 3 epochs, about two
 * minutes on a laptop CPU) on the shipped Fashion-MNIST sample, then draws, for a few test images,
 * the input and its Grad-CAM, Grad-CAM++, saliency, SmoothGrad and occlusion maps in one labelled
 * grid, plus the first layer's filters and the feature maps of one image. Seeded: a rerun makes
 * the same files.
 *
 *   npx tsx scripts/make-explain-images.ts [OUT_DIR]    (default docs/images)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import {
  AdamW,
  attributionMap,
  compose,
  computeMeanStd,
  createModel,
  EXPLAIN_METHODS,
  fashionMnistSample,
  featureMaps,
  firstLayerFilters,
  fit,
  Generator,
  heatMapOverlay,
  manualSeed,
  normalize,
  predict,
  argmax,
  reshape,
  select,
  stack,
  tileImage,
  toFloat,
  zeros,
  type Dataset,
} from '../src/index.js';

const out = process.argv[2] ?? 'docs/images';
const SCALE = 4; // 28 → 112 pixels per panel
const LAYER = 'features.6'; // the ReLU after the second conv: 14×14 maps
const ROWS = 5; // test images shown: the first ones classified right, of different classes
const TITLES = ['input', 'Grad-CAM', 'Grad-CAM++', 'saliency', 'SmoothGrad', 'occlusion'];

manualSeed(0);
const train = fashionMnistSample('train');
const test = fashionMnistSample('test');
const stats = computeMeanStd(train, { transform: toFloat(), samples: 1000 });
const standardize = compose([toFloat(), normalize(stats)]);
const prepared = (d: Dataset): Dataset => ({
  length: d.length,
  get: (i, g) => standardize(d.get(i), g ?? new Generator(0)),
});
const model = createModel('fashion_cnn', { widthMult: 0.25 });
await fit(model, prepared(train), {
  optimizer: new AdamW(model.parameters(), { lr: 2e-3 }),
  epochs: 3,
  batchSize: 64,
  generator: new Generator(1),
});
model.eval();

const firstPredictions = argmax(
  predict(model, prepared({ length: 100, get: (i, g) => test.get(i, g) })),
  1,
).data;
const TEST_IMAGES: number[] = [];
const shownClasses = new Set<number>();
for (let i = 0; i < 100 && TEST_IMAGES.length < ROWS; i++) {
  const label = test.get(i).target.item();
  if (firstPredictions[i] !== label || shownClasses.has(label)) continue;
  TEST_IMAGES.push(i);
  shownClasses.add(label);
}
const pixels = stack(TEST_IMAGES.map((i) => toFloat()(test.get(i), new Generator(0)).input));
const inputs = stack(TEST_IMAGES.map((i) => prepared(test).get(i).input));
const maps = EXPLAIN_METHODS.map((method) =>
  attributionMap(model, inputs, { method, layer: LAYER, generator: new Generator(2) }),
);

const panel = 28 * SCALE;
const [gap, header] = [4, 24];
const label = (text: string, width: number) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${header}"><text x="${width / 2}" y="17" font-size="14" font-family="DejaVu Sans, sans-serif" text-anchor="middle">${text}</text></svg>`,
  );
const tiles: OverlayOptions[] = TITLES.map((title, column) => ({
  input: label(title, panel),
  left: column * (panel + gap),
  top: 0,
}));
for (const [row, index] of TEST_IMAGES.entries()) {
  const image = select(pixels, 0, row);
  const top = header + row * (panel + gap);
  const grey = await heatMapOverlay(image, zeros([28, 28]), { alpha: 0, scale: SCALE });
  tiles.push({ input: grey, left: 0, top });
  for (const [m, map] of maps.entries()) {
    const png = await heatMapOverlay(image, select(map, 0, row), { scale: SCALE });
    tiles.push({ input: png, left: (m + 1) * (panel + gap), top });
  }
  console.log(
    `test image ${index}: ${test.classes![test.get(index).target.item()]}, classified right`,
  );
}
mkdirSync(out, { recursive: true });
const width = TITLES.length * (panel + gap) - gap;
const height = header + TEST_IMAGES.length * (panel + gap) - gap;
await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
  .composite(tiles)
  .png()
  .toFile(join(out, 'explain-methods.png'));

const { layer, weight } = firstLayerFilters(model);
const [outC, inC, kh, kw] = weight.shape;
writeFileSync(
  join(out, 'explain-filters.png'),
  await tileImage(reshape(weight, [outC * inC, kh, kw]), { scale: 12, columns: 8 }),
);
const features = select(featureMaps(model, inputs, 'features.2'), 0, 0);
writeFileSync(
  join(out, 'explain-feature-maps.png'),
  await tileImage(features, { scale: 4, columns: 8 }),
);
console.log(
  `wrote ${out}/explain-methods.png, explain-filters.png (${layer}: ${outC} filters ${kh}×${kw}), explain-feature-maps.png (features.2 of test image ${TEST_IMAGES[0]})`,
);
