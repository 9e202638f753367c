/**
 * The Fashion-MNIST sample shipped with fovea in `data/fashion-mnist/`: 10,000 training and
 * 2,000 test images, class-balanced, drawn from Zalando Research's Fashion-MNIST (MIT license) by
 * `scripts/make-fashion-mnist-sample.ts`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../tensor/errors.js';
import { findMnistFiles, loadMnistFolder, type MnistFolderOptions, type Split } from './mnist.js';
import type { TensorDataset } from './tensor-dataset.js';

/**
 * The folder of the shipped sample: `data/fashion-mnist` in fovea's package root, found as the
 * nearest folder above this module holding a package.json — the same from `src/data/` (tsx) and
 * from `dist/src/data/` (built), in the repository and in an installed package.
 *
 * @example
 * loadMnistFolder(fashionMnistSampleDir(), { split: 'test' }); // same as fashionMnistSample('test')
 */
export function fashionMnistSampleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'data', 'fashion-mnist');
}

/**
 * One split of the shipped Fashion-MNIST sample: uint8 images [1, 28, 28] and int32 labels, with
 * Fashion-MNIST's class names. 'train' has 10,000 images, 'test' 2,000, each a tenth per class.
 *
 * @example
 * const train = fashionMnistSample('train'); // 10,000 samples
 * train.classes; // ['T-shirt/top', 'Trouser', ..., 'Ankle boot']
 */
export function fashionMnistSample(
  split: Split = 'train',
  options: Omit<MnistFolderOptions, 'split'> = {},
): TensorDataset {
  const dir = fashionMnistSampleDir();
  check(
    findMnistFiles(dir, split) !== undefined,
    'fashionMnistSample',
    () =>
      `the shipped sample is missing from ${dir}; reinstall fovea, or in a clone of the repository ` +
      `run scripts/make-fashion-mnist-sample.ts`,
  );
  return loadMnistFolder(dir, { ...options, split });
}
