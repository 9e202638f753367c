/**
 * Folders of MNIST-family IDX files: MNIST, Fashion-MNIST, KMNIST, and any other set stored as
 * `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
 * `t10k-labels-idx1-ubyte`, each possibly gzipped (`.gz`) — the layout of the original downloads
 * and of Debian's dataset packages (`/usr/share/datasets/fashion-mnist`).
 */
import { resolve, sep } from 'node:path';
import { LoadError, check, fmt } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { getBackend } from '../tensor/backend-registry.js';
import type { SampleTransform } from './dataset.js';
import { describeDir, findFile, readClassNames } from './files.js';
import { loadIdx } from './idx.js';
import { firstBadLabel } from './labels.js';
import { TensorDataset } from './tensor-dataset.js';

/**
 * A dataset's two parts: training and test.
 *
 * @example
 * const split: Split = 'test'; // t10k-* for IDX, test_batch.bin for CIFAR, test/ or val/ for image folders
 */
export type Split = 'train' | 'test';

/**
 * Fashion-MNIST's class names, index = label (as torchvision's `FashionMNIST.classes`).
 *
 * @example
 * FASHION_MNIST_CLASSES[9]; // 'Ankle boot'
 */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

const PREFIXES: Record<Split, string> = { train: 'train', test: 't10k' };

/** The file names tried for one split's images or labels, in order of preference. */
function candidates(split: Split, part: 'images' | 'labels'): string[] {
  const base = `${PREFIXES[split]}-${part}`;
  const rank = part === 'images' ? 3 : 1;
  // The original names use '-' before idx; some re-distributions (Kaggle's MNIST) use '.'.
  const names = [`${base}-idx${rank}-ubyte`, `${base}.idx${rank}-ubyte`];
  return names.flatMap((n) => [n, `${n}.gz`]);
}

/**
 * The image and label files of `split` in `dir`, or undefined when either is missing.
 *
 * @example
 * findMnistFiles('/usr/share/datasets/fashion-mnist', 'test');
 * // { images: '.../t10k-images-idx3-ubyte.gz', labels: '.../t10k-labels-idx1-ubyte.gz' }
 */
export function findMnistFiles(
  dir: string,
  split: Split,
): { images: string; labels: string } | undefined {
  const images = findFile(dir, candidates(split, 'images'));
  const labels = findFile(dir, candidates(split, 'labels'));
  return images && labels ? { images, labels } : undefined;
}

/** Options of `loadMnistFolder`. */
export interface MnistFolderOptions {
  /** Which files to read: train-* (default) or t10k-*. */
  split?: Split;
  /** Applied to each sample in `get` (e.g. scaling the uint8 pixels to [0, 1]). */
  transform?: SampleTransform;
  /** Class names; by default see `loadMnistFolder`. */
  classes?: readonly string[];
}

/**
 * Loads one split of an MNIST-family folder as a dataset of uint8 images [1, H, W] (pixels
 * 0..255 as stored: scale and normalize them in a transform, which keeps the data 4× smaller in
 * memory than float32) and int32 class ids.
 *
 * Class names, the first that applies: `options.classes`; a `classes.txt` in the folder (one name
 * per line); Fashion-MNIST's names when a folder on the path is named like `fashion*` (as
 * `/usr/share/datasets/fashion-mnist`); else the label numbers '0', '1', ... up to the largest.
 *
 * @example
 * const train = loadMnistFolder('/usr/share/datasets/fashion-mnist'); // 60,000 samples
 * const test = loadMnistFolder('/usr/share/datasets/fashion-mnist', { split: 'test' }); // 10,000
 * test.classes![test.get(0).target.item()]; // 'Ankle boot'
 */
export function loadMnistFolder(dir: string, options: MnistFolderOptions = {}): TensorDataset {
  const split = options.split ?? 'train';
  const op = 'loadMnistFolder';
  const files = findMnistFiles(dir, split);
  check(
    files !== undefined,
    op,
    () =>
      `${dir}: no ${split} split found: looked for ${candidates(split, 'images').join(' / ')} and ` +
      `${candidates(split, 'labels').join(' / ')}, but ${describeDir(dir)}`,
  );
  const images = loadIdx(files.images);
  const labels = loadIdx(files.labels);
  expectIdx(images, 3, 'images [N, H, W]', files.images, op);
  expectIdx(labels, 1, 'labels [N]', files.labels, op);
  const [n, h, w] = images.shape;
  // Both counts are the uint32 at offset 4 of their (decompressed) file.
  if (labels.shape[0] !== n) {
    throw new LoadError(
      op,
      files.labels,
      `holds ${labels.shape[0]} labels (count at offset 4) but ${files.images} holds ${n} images; ` +
        'expected one label per image',
    );
  }
  const classes = options.classes ?? defaultClasses(dir, labels);
  const bad = firstBadLabel(labels.data, classes.length);
  if (bad >= 0) {
    // Label i is byte 8 + i of the (decompressed) label file: after the magic number and one size.
    throw new LoadError(
      op,
      files.labels,
      `label ${labels.data[bad]} at offset ${8 + bad} is not a class id in [0, ${classes.length})`,
    );
  }
  const targets = getBackend().alloc('int32', n);
  targets.set(labels.data);
  return new TensorDataset(
    new Tensor(images.data, [n, 1, h, w], 'uint8'),
    new Tensor(targets, [n], 'int32'),
    { classes, transform: options.transform },
  );
}

/** Refuses an IDX file whose type code and dimension count (offsets 2 and 3) are not ubyte, `ndim`. */
function expectIdx(t: Tensor, ndim: number, what: string, file: string, op: string): void {
  if (t.dtype !== 'uint8' || t.ndim !== ndim) {
    throw new LoadError(
      op,
      file,
      `expected ubyte ${what} (type code and dimension count at offsets 2..4), found ${t.dtype} ${fmt(t.shape)}`,
    );
  }
}

function defaultClasses(dir: string, labels: Tensor): readonly string[] {
  const file = findFile(dir, ['classes.txt']);
  if (file) return readClassNames(file, 'loadMnistFolder');
  if (
    resolve(dir)
      .split(sep)
      .some((part) => part.toLowerCase().startsWith('fashion'))
  ) {
    return FASHION_MNIST_CLASSES;
  }
  let count = 0;
  for (const label of labels.data) count = Math.max(count, label + 1);
  return Array.from({ length: count }, (_, i) => String(i));
}
