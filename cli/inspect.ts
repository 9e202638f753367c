import { formatSummary, summary } from '../src/analysis/summary.js';
import { loadDataset } from '../src/data/detect.js';
import { fashionMnistSample } from '../src/data/fashion-mnist.js';
import { loadImage } from '../src/data/image-folder.js';
import { DataLoader } from '../src/data/loader.js';
import { compose, normalize, toFloat } from '../src/data/transforms/index.js';
import { loadModel, type ModelConfig } from '../src/io/model-file.js';
import type { Module } from '../src/nn/module.js';
import { createModel } from '../src/nn/zoo/index.js';
import { softmax } from '../src/ops/softmax.js';
import { stack } from '../src/ops/concat.js';
import { zeros } from '../src/tensor/create.js';
import { FoveaError } from '../src/tensor/errors.js';
import { Generator } from '../src/tensor/random.js';
import type { Tensor } from '../src/tensor/tensor.js';
import {
  Accuracy,
  ConfusionMatrix,
  evaluate,
  precisionRecallF1,
  predict,
} from '../src/train/index.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The model folder of a run folder written by `fovea train` (its model/ subfolder) or `dir` itself. */
export function modelFolder(dir: string): string {
  return existsSync(join(dir, 'model', 'config.json')) ? join(dir, 'model') : dir;
}

/** Reads a model folder written by `fovea train` (its model/ subfolder or the folder itself). */
export function openModel(dir: string) {
  return loadModel(modelFolder(dir));
}

/** The scaling and normalization the model was trained with. */
export function preprocessing(config: ReturnType<typeof openModel>['config']) {
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

/**
 * Image files as the model at `dir` takes them: decoded and resized to its config's input shape,
 * as float pixels in [0, 1] (`pixels`, one [C, H, W] per file) and normalized as in training
 * (`batch`, [N, C, H, W]). `op` names the command in errors.
 */
export async function readImages(
  dir: string,
  config: ModelConfig,
  paths: readonly string[],
  op: string,
): Promise<{ pixels: Tensor[]; batch: Tensor }> {
  const shape = config.inputShape;
  if (!shape || shape.length !== 3) {
    throw new FoveaError(
      op,
      `${dir}: the model config has no image input shape [C, H, W] (got ${JSON.stringify(shape)})`,
    );
  }
  const [c, h, w] = shape;
  const [scale, pre] = [toFloat(), preprocessing(config)];
  const samples = await Promise.all(
    paths.map(async (path) => ({
      input: await loadImage(path, { size: [h, w], channels: c === 1 ? 1 : 3 }),
      target: zeros([], { dtype: 'int32' }),
    })),
  );
  const generator = new Generator(0);
  return {
    pixels: samples.map((s) => scale(s, generator).input),
    batch: stack(samples.map((s) => pre(s, generator).input)),
  };
}

/** `fovea predict MODEL IMAGE...`: the top-k classes of each image with their probabilities. */
export async function predictCommand(
  dir: string,
  images: string[],
  options: { topK: number },
  print: (line: string) => void,
): Promise<void> {
  const { model, config } = openModel(dir);
  const { batch } = await readImages(dir, config, images, 'predict');
  const probabilities = softmax(predict(model, batch), 1);
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
  const { module, config } = resolveModel(model);
  print(formatSummary(summary(module, inputShapeOf(config, options.input))));
}

/**
 * A model named on the command line: a saved model folder (with its config) when the path
 * exists, else a zoo name built with default options (no config).
 */
export function resolveModel(model: string): { module: Module; config?: ModelConfig } {
  if (!existsSync(model)) return { module: createModel(model) };
  const saved = openModel(model);
  return { module: saved.model, config: saved.config };
}

/** The input shape from `--input C,H,W`, else the saved config's, else [1, 28, 28]. */
export function inputShapeOf(config: ModelConfig | undefined, input?: string): number[] {
  return input ? input.split(',').map(Number) : (config?.inputShape ?? [1, 28, 28]);
}
