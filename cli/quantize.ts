import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../src/data/dataset.js';
import { loadDataset } from '../src/data/detect.js';
import { fashionMnistSample } from '../src/data/fashion-mnist.js';
import { DataLoader } from '../src/data/loader.js';
import type { Module } from '../src/nn/module.js';
import { quantize } from '../src/deploy/quantize.js';
import { saveQuantizedModel } from '../src/deploy/quantized-file.js';
import type { CalibrationMethod } from '../src/deploy/observer.js';
import { getBackend } from '../src/tensor/backend-registry.js';
import { check } from '../src/tensor/errors.js';
import { Generator } from '../src/tensor/random.js';
import { Accuracy, evaluate } from '../src/train/index.js';
import { modelFolder, openModel, preprocessing } from './inspect.js';

/** Options of `fovea quantize`. */
export interface QuantizeCommandOptions {
  /** Dataset folder whose train split calibrates (default: the shipped Fashion-MNIST sample). */
  calib?: string;
  /** Calibration images (default 512), spread evenly over the split. */
  calibSize: number;
  /** Dataset folder whose test split scores both models (default: the shipped sample). */
  data?: string;
  calibration: CalibrationMethod;
  /** Output folder (default MODEL/model-int8). */
  out?: string;
}

/** Accuracy and images per second of `model` on `data`. */
function score(model: Module, data: Dataset): { accuracy: number; perSecond: number } {
  const start = performance.now();
  const { accuracy } = evaluate(model, new DataLoader(data, { batchSize: 256 }), {
    metrics: [new Accuracy()],
  });
  return { accuracy, perSecond: data.length / ((performance.now() - start) / 1000) };
}

/**
 * `fovea quantize MODEL [--calib DIR]`: int8 post-training quantization of a saved model,
 * calibrated on training images; prints accuracy, size and speed of fp32 and int8 on the test
 * split and saves the int8 model.
 */
export async function quantizeCommand(
  dir: string,
  options: QuantizeCommandOptions,
  print: (line: string) => void,
): Promise<void> {
  check(
    options.calibration === 'minmax' || options.calibration === 'percentile',
    'quantize',
    () => `--calibration must be minmax or percentile, got '${options.calibration}'`,
  );
  check(
    Number.isInteger(options.calibSize) && options.calibSize > 0,
    'quantize',
    () => `--calib-size must be a positive integer, got ${options.calibSize}`,
  );
  const { model: float, config } = openModel(dir);
  const pre = preprocessing(config);
  const prepared = (d: Dataset, indices: number[]): Dataset => ({
    length: indices.length,
    get: (i) => pre(d.get(indices[i]), new Generator(0)),
  });
  const calibSplit = options.calib
    ? await loadDataset(options.calib, { split: 'train' })
    : fashionMnistSample('train');
  const count = Math.min(options.calibSize, calibSplit.length);
  const step = calibSplit.length / count;
  const calib = prepared(
    calibSplit,
    Array.from({ length: count }, (_, i) => Math.floor(i * step)),
  );
  const testSplit = options.data
    ? await loadDataset(options.data, { split: 'test' })
    : fashionMnistSample('test');
  const test = prepared(
    testSplit,
    Array.from({ length: testSplit.length }, (_, i) => i),
  );

  const fp32 = score(float, test);
  const batches = [...new DataLoader(calib, { batchSize: 128 })].map((b) => b.input);
  const quantized = quantize(openModel(dir).model, batches, { calibration: options.calibration });
  const int8 = score(quantized, test);

  const out = options.out ?? join(dir, 'model-int8');
  saveQuantizedModel(out, quantized, config);
  const fp32Bytes = statSync(join(modelFolder(dir), 'model.safetensors')).size;
  const int8Bytes = statSync(join(out, 'model.safetensors')).size;
  const kb = (b: number) => `${(b / 1024).toFixed(1)} kB`;
  const pct = (a: number) => `${(100 * a).toFixed(2)}%`;
  print(
    `calibrated on ${count} images (${options.calibration}); scored on ${test.length} test images`,
  );
  print(
    `fp32  accuracy ${pct(fp32.accuracy)}  weights ${kb(fp32Bytes)}  ${fp32.perSecond.toFixed(0)} images/s (${getBackend().name} backend)`,
  );
  print(
    `int8  accuracy ${pct(int8.accuracy)} (${(100 * (int8.accuracy - fp32.accuracy)).toFixed(2)} pp)` +
      `  weights ${kb(int8Bytes)} (${(fp32Bytes / int8Bytes).toFixed(2)}× smaller)` +
      `  ${int8.perSecond.toFixed(0)} images/s (${(int8.perSecond / fp32.perSecond).toFixed(2)}× fp32, ${getBackend().name} backend)`,
  );
  print(`saved the int8 model to ${out}`);
}
