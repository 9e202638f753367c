import { formatSummary, summary } from '../src/analysis/summary.js';
import { loadDataset } from '../src/data/detect.js';
import { fashionMnistSample } from '../src/data/fashion-mnist.js';
import { loadImage } from '../src/data/image-folder.js';
import { DataLoader } from '../src/data/loader.js';
import { compose, normalize, toFloat } from '../src/data/transforms/index.js';
import { loadModel } from '../src/io/model-file.js';
import { createModel } from '../src/nn/zoo/index.js';
import { softmax } from '../src/ops/softmax.js';
import { stack } from '../src/ops/concat.js';
import { zeros } from '../src/tensor/create.js';
import { FoveaError } from '../src/tensor/errors.js';
import { Generator } from '../src/tensor/random.js';
import {
  Accuracy,
  ConfusionMatrix,
  evaluate,
  precisionRecallF1,
  predict,
} from '../src/train/index.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a model folder written by `fovea train` (its model/ subfolder or the folder itself). */
function openModel(dir: string) {
  return loadModel(existsSync(join(dir, 'model', 'config.json')) ? join(dir, 'model') : dir);
}

/** The scaling and normalization the model was trained with. */
function preprocessing(config: ReturnType<typeof openModel>['config']) {
  return config.normalization ? compose([toFloat(), normalize(config.normalization)]) : toFloat();
}

/**
 * `fovea eval MODEL [--data DIR]`: accuracy, loss and per-class scores of a saved model on a
 * test split (default: the shipped Fashion-MNIST sample).
 */
export async function evalCommand(
  dir: string,
  options: { data?: string },
  print: (line: string) => void,
): Promise<void> {
  const { model, config } = openModel(dir);
  const test = options.data
    ? await loadDataset(options.data, { split: 'test' })
    : fashionMnistSample('test');
  const pre = preprocessing(config);
  const data = { length: test.length, get: (i: number) => pre(test.get(i), new Generator(0)) };
  const confusion = new ConfusionMatrix();
  const result = evaluate(model, new DataLoader(data, { batchSize: 256 }), {
    metrics: [new Accuracy(), confusion],
  });
  print(
    `accuracy ${(100 * result.accuracy).toFixed(2)}%, loss ${result.loss.toFixed(4)} on ${test.length} images`,
  );
  const scores = precisionRecallF1(confusion.counts);
  const names = config.classNames ?? scores.support.map((_, i) => String(i));
  names.forEach((name, i) =>
    print(
      `  ${name.padEnd(14)} precision ${scores.precision[i].toFixed(3)}  recall ${scores.recall[i].toFixed(3)}  F1 ${scores.f1[i].toFixed(3)}`,
    ),
  );
}

/** `fovea predict MODEL IMAGE...`: the top-k classes of each image with their probabilities. */
export async function predictCommand(
  dir: string,
  images: string[],
  options: { topK: number },
  print: (line: string) => void,
): Promise<void> {
  const { model, config } = openModel(dir);
  const shape = config.inputShape;
  if (!shape || shape.length !== 3) {
    throw new FoveaError(
      'predict',
      `${dir}: the model config has no image input shape [C, H, W] (got ${JSON.stringify(shape)})`,
    );
  }
  const [c, h, w] = shape;
  const pre = preprocessing(config);
  const inputs = await Promise.all(
    images.map(
      async (path) =>
        pre(
          {
            input: await loadImage(path, { size: [h, w], channels: c === 1 ? 1 : 3 }),
            target: zeros([], { dtype: 'int32' }),
          },
          new Generator(0),
        ).input,
    ),
  );
  const probabilities = softmax(predict(model, stack(inputs)), 1);
  const classes = probabilities.shape[1];
  images.forEach((path, n) => {
    const row = Array.from(probabilities.data.subarray(n * classes, (n + 1) * classes));
    const top = row
      .map((p, k) => [p, k] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, options.topK);
    print(
      `${path}: ${top.map(([p, k]) => `${config.classNames?.[k] ?? k} ${(100 * p).toFixed(1)}%`).join(', ')}`,
    );
  });
}

/**
 * `fovea summary MODEL [--input C,H,W]`: the layer table with output shapes, parameters,
 * multiply-adds and receptive fields, for a zoo name or a saved model folder.
 */
export function summaryCommand(
  model: string,
  options: { input?: string },
  print: (line: string) => void,
): void {
  const saved = existsSync(model) ? openModel(model) : null;
  const module = saved ? saved.model : createModel(model);
  const shape = options.input
    ? options.input.split(',').map(Number)
    : (saved?.config.inputShape ?? [1, 28, 28]);
  print(formatSummary(summary(module, shape)));
}
