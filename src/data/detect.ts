/**
 * Telling which kind of dataset a folder holds, for the CLI's `--data DIR`.
 */
import { join } from 'node:path';
import { FoveaError, check } from '../tensor/errors.js';
import { findCifar, loadCifar } from './cifar.js';
import type { SampleTransform } from './dataset.js';
import { describeDir, isDir } from './files.js';
import { IMAGE_EXTENSIONS, listImageFolder, loadImageFolder } from './image-folder.js';
import { findMnistFiles, loadMnistFolder, type Split } from './mnist.js';
import type { TensorDataset } from './tensor-dataset.js';

/**
 * A dataset found in a folder: its format, where its files are, and which splits it has.
 *
 * @example
 * const found = detectDataset(dir);
 * if (found.format === 'image-folder' && !found.splits.includes('test')) console.log('no test split');
 */
export type DetectedDataset =
  | { format: 'idx'; dir: string; splits: Split[] }
  | { format: 'cifar'; dir: string; variant: 'CIFAR-10' | 'CIFAR-100'; splits: Split[] }
  /** `dirs` maps each split to its image folder: `DIR/train` and `DIR/test` (or `DIR/val`), or DIR itself for 'train' alone. */
  | { format: 'image-folder'; dir: string; splits: Split[]; dirs: Partial<Record<Split, string>> };

/**
 * Decides what `dir` holds, checking in this order: MNIST-family IDX files (`train-images-idx3-ubyte`
 * and the like, gzipped or not), CIFAR binary batches (also inside `cifar-10-batches-bin` /
 * `cifar-100-binary`), an image folder with `train/` and `test/` (or `val/`) subfolders that each
 * hold one subfolder per class, or one image folder (a 'train' split only). Nothing is decoded.
 * Throws a FoveaError that lists what was looked for when none matches.
 *
 * @example
 * detectDataset('/usr/share/datasets/fashion-mnist'); // { format: 'idx', dir: ..., splits: ['train', 'test'] }
 */
export function detectDataset(dir: string): DetectedDataset {
  const op = 'detectDataset';
  check(isDir(dir), op, () => `${dir} is not a folder`);
  const idxSplits = (['train', 'test'] as const).filter((s) => findMnistFiles(dir, s));
  if (idxSplits.length > 0) return { format: 'idx', dir, splits: idxSplits };
  const cifar = findCifar(dir);
  if (cifar) return { format: 'cifar', ...cifar };
  const test = ['test', 'val'].map((name) => join(dir, name)).find(isImageFolder);
  if (isImageFolder(join(dir, 'train')) && test) {
    return {
      format: 'image-folder',
      dir,
      splits: ['train', 'test'],
      dirs: { train: join(dir, 'train'), test },
    };
  }
  if (isImageFolder(dir))
    return { format: 'image-folder', dir, splits: ['train'], dirs: { train: dir } };
  throw new FoveaError(
    op,
    `${dir}: no dataset found; looked for MNIST-family IDX files (train-images-idx3-ubyte, ` +
      `train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each possibly .gz), ` +
      `CIFAR binary files (data_batch_N.bin and test_batch.bin, or train.bin and test.bin), ` +
      `or an image folder (one subfolder per class holding ${IMAGE_EXTENSIONS.join('/')} files, ` +
      `optionally under train/ and test/ or val/), but ${describeDir(dir)}`,
  );
}

/** Options of `loadDataset`. */
export interface LoadDatasetOptions {
  /** Which part to load (default 'train'). */
  split?: Split;
  /** Applied to each sample in `get`. */
  transform?: SampleTransform;
  /** [height, width] images are resized to; required for image folders, ignored otherwise. */
  size?: readonly [number, number];
  /** Image folders only: 1 for greyscale, 3 for RGB (default). */
  channels?: 1 | 3;
}

/**
 * Loads one split of whatever dataset `dir` holds (see `detectDataset`), as the CLI's `--data DIR`
 * does. IDX and CIFAR load synchronously; the promise is for image folders, which decode.
 *
 * @example
 * const train = await loadDataset('/usr/share/datasets/fashion-mnist');
 * const test = await loadDataset('photos', { split: 'test', size: [64, 64] });
 */
export async function loadDataset(
  dir: string,
  options: LoadDatasetOptions = {},
): Promise<TensorDataset> {
  const { split = 'train', transform } = options;
  const found = detectDataset(dir);
  check(
    found.splits.includes(split),
    'loadDataset',
    () =>
      `${dir}: the ${found.format} dataset has no ${split} split (it has ${found.splits.join(', ')})` +
      (found.format === 'image-folder' ? '; put the images under train/ and test/ subfolders' : ''),
  );
  if (found.format === 'idx') return loadMnistFolder(dir, { split, transform });
  if (found.format === 'cifar') return loadCifar(found.dir, { split, transform });
  const { size, channels } = options;
  check(
    size !== undefined,
    'loadDataset',
    () => `${dir} is an image folder: give the size [height, width] to resize its images to`,
  );
  return loadImageFolder(found.dirs[split]!, { size, channels, transform });
}

/** Whether `dir` has at least one class subfolder holding an image. */
function isImageFolder(dir: string): boolean {
  return isDir(dir) && listImageFolder(dir).files.length > 0;
}
