/**
 * CIFAR-10 and CIFAR-100 in their binary versions (`cifar-10-batches-bin`, `cifar-100-binary`).
 *
 * A file is a run of fixed-size records: the label byte(s), then 3,072 pixel bytes — the 32×32
 * red plane, then green, then blue, rows top to bottom — which is already the [3, 32, 32] layout of
 * a fovea image. CIFAR-10 records have one label byte; CIFAR-100 records have two, the coarse
 * (superclass) label then the fine one, and fovea reads the fine one, as torchvision does.
 */
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { LoadError, check } from '../tensor/errors.js';
import { getBackend } from '../tensor/backend-registry.js';
import { Tensor } from '../tensor/tensor.js';
import type { SampleTransform } from './dataset.js';
import { describeDir, findFile, isDir, listDir, readClassNames, readFileCapped } from './files.js';
import { MAX_DATA_BYTES } from './limits.js';
import type { Split } from './mnist.js';
import { TensorDataset } from './tensor-dataset.js';

/**
 * CIFAR-10's class names, index = label (the contents of its `batches.meta.txt`).
 *
 * @example
 * CIFAR10_CLASSES[3]; // 'cat'
 */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
]);

const PIXELS = 3 * 32 * 32;
const OP = 'loadCifar';

/** What distinguishes the two versions. */
interface Variant {
  name: 'CIFAR-10' | 'CIFAR-100';
  /** The data files of a split present in a folder, in reading order. */
  files(dir: string, split: Split): string[];
  labelBytes: number;
  numClasses: number;
  classFile: string;
  defaultClasses(): readonly string[];
}

const CIFAR10: Variant = {
  name: 'CIFAR-10',
  files: (dir, split) => {
    if (split === 'test') return listDir(dir).filter((f) => f === 'test_batch.bin');
    const batches = listDir(dir).filter((f) => /^data_batch_\d+\.bin$/.test(f));
    return batches.sort((a, b) => batchNumber(a) - batchNumber(b));
  },
  labelBytes: 1,
  numClasses: 10,
  classFile: 'batches.meta.txt',
  defaultClasses: () => CIFAR10_CLASSES,
};

const CIFAR100: Variant = {
  name: 'CIFAR-100',
  files: (dir, split) => listDir(dir).filter((f) => f === `${split}.bin`),
  labelBytes: 2,
  numClasses: 100,
  classFile: 'fine_label_names.txt',
  defaultClasses: () => Array.from({ length: 100 }, (_, i) => String(i)),
};

/** The folder names of the official archives, looked for inside the given folder. */
const ARCHIVE_FOLDERS = ['cifar-10-batches-bin', 'cifar-100-binary'];

/** Where a CIFAR folder's data is, and which version it holds. */
export interface CifarFolder {
  dir: string;
  variant: 'CIFAR-10' | 'CIFAR-100';
  /** The splits whose files are present. */
  splits: Split[];
}

/**
 * Finds CIFAR binary data in `dir`, or in the archive folder (`cifar-10-batches-bin`,
 * `cifar-100-binary`) inside it; undefined when there is none.
 *
 * @example
 * findCifar('data'); // { dir: 'data/cifar-10-batches-bin', variant: 'CIFAR-10', splits: ['train', 'test'] }
 */
export function findCifar(dir: string): CifarFolder | undefined {
  const folders = [dir, ...ARCHIVE_FOLDERS.map((f) => join(dir, f)).filter(isDir)];
  for (const folder of folders) {
    for (const variant of [CIFAR10, CIFAR100]) {
      const splits = (['train', 'test'] as const).filter(
        (s) => variant.files(folder, s).length > 0,
      );
      if (splits.length > 0) return { dir: folder, variant: variant.name, splits };
    }
  }
  return undefined;
}

/** Options of `loadCifar`. */
export interface CifarOptions {
  /** Which files to read: the data batches (default) or the test batch. */
  split?: Split;
  /** Applied to each sample in `get`. */
  transform?: SampleTransform;
}

/**
 * Loads one split of CIFAR-10 (`data_batch_1.bin` ... `data_batch_5.bin` / `test_batch.bin`) or
 * CIFAR-100 (`train.bin` / `test.bin`, fine labels) as uint8 images [3, 32, 32] and int32 class
 * ids. `dir` is the folder of the .bin files or the one holding the extracted archive. Class
 * names come from `batches.meta.txt` / `fine_label_names.txt` when present, else CIFAR-10's
 * known names or CIFAR-100's label numbers.
 *
 * @example
 * const train = loadCifar('data/cifar-10-batches-bin'); // 50,000 samples
 * train.get(0).input.shape; // [3, 32, 32], uint8
 */
export function loadCifar(dir: string, options: CifarOptions = {}): TensorDataset {
  const split = options.split ?? 'train';
  const found = findCifar(dir);
  check(
    found !== undefined,
    OP,
    () =>
      `${dir}: no CIFAR binary files found: looked for data_batch_N.bin and test_batch.bin ` +
      `(CIFAR-10) or train.bin and test.bin (CIFAR-100), also in ${ARCHIVE_FOLDERS.join(' and ')}, ` +
      `but ${describeDir(dir)}`,
  );
  const variant = found.variant === 'CIFAR-10' ? CIFAR10 : CIFAR100;
  const paths = variant.files(found.dir, split).map((f) => join(found.dir, f));
  check(
    paths.length > 0,
    OP,
    () => `${found.dir}: holds ${variant.name} but no ${split} files (it has ${found.splits})`,
  );

  const record = variant.labelBytes + PIXELS;
  const counts = paths.map((path) => recordCount(fileSize(path), record, path));
  const n = counts.reduce((a, b) => a + b, 0);
  check(
    n * PIXELS <= MAX_DATA_BYTES,
    OP,
    () => `${found.dir}: ${n} images are more than the ${MAX_DATA_BYTES} bytes allowed`,
  );
  const images = getBackend().alloc('uint8', n * PIXELS) as Uint8Array;
  const labels = getBackend().alloc('int32', n) as Int32Array;
  let first = 0;
  paths.forEach((path, f) => {
    const bytes = readFileCapped(path, OP);
    if (bytes.length !== counts[f] * record) {
      throw new LoadError(
        OP,
        path,
        `file changed while being read: expected ${counts[f] * record} bytes, read ${bytes.length}`,
      );
    }
    copyRecords(bytes, path, variant, images, labels, first);
    first += counts[f];
  });
  const classFile = findFile(found.dir, [variant.classFile]);
  const classes = classFile ? readClassNames(classFile, OP) : variant.defaultClasses();
  check(
    classes.length === variant.numClasses,
    OP,
    () =>
      `${classFile}: lists ${classes.length} class names, ${variant.name} has ${variant.numClasses}`,
  );
  return new TensorDataset(
    new Tensor(images, [n, 3, 32, 32], 'uint8'),
    new Tensor(labels, [n], 'int32'),
    { classes, transform: options.transform },
  );
}

/**
 * Decodes the bytes of one CIFAR binary file (`data_batch_1.bin`, `test.bin`, ...): images
 * uint8 [N, 3, 32, 32] and int32 labels [N] (the fine labels of CIFAR-100). Every problem — a
 * cut-off record, a label out of range — is a LoadError naming `source` and the byte offset.
 *
 * @example
 * const { images, labels } = readCifarBatch(readFileSync('test_batch.bin'), 'test_batch.bin');
 * images.shape; // [10000, 3, 32, 32]
 */
export function readCifarBatch(
  bytes: Uint8Array,
  source = '<buffer>',
  variant: 'CIFAR-10' | 'CIFAR-100' = 'CIFAR-10',
): { images: Tensor; labels: Tensor } {
  const kind = variant === 'CIFAR-10' ? CIFAR10 : CIFAR100;
  const n = recordCount(bytes.length, kind.labelBytes + PIXELS, source);
  const images = getBackend().alloc('uint8', n * PIXELS) as Uint8Array;
  const labels = getBackend().alloc('int32', n) as Int32Array;
  copyRecords(bytes, source, kind, images, labels, 0);
  return {
    images: new Tensor(images, [n, 3, 32, 32], 'uint8'),
    labels: new Tensor(labels, [n], 'int32'),
  };
}

/** Copies the records of one file into `images` and `labels` from sample `first` on. */
function copyRecords(
  bytes: Uint8Array,
  source: string,
  variant: Variant,
  images: Uint8Array,
  labels: Int32Array,
  first: number,
): void {
  const record = variant.labelBytes + PIXELS;
  for (let r = 0, k = first; r * record < bytes.length; r++, k++) {
    const start = r * record;
    const labelAt = start + variant.labelBytes - 1;
    const label = bytes[labelAt];
    if (label >= variant.numClasses) {
      throw new LoadError(
        OP,
        source,
        `label ${label} at offset ${labelAt} is not a ${variant.name} class id in [0, ${variant.numClasses})`,
      );
    }
    labels[k] = label;
    images.set(bytes.subarray(start + variant.labelBytes, start + record), k * PIXELS);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (e) {
    throw new LoadError(OP, path, `cannot read the file (${(e as Error).message})`);
  }
}

/** The number of records in `size` bytes, checking that they are whole records. */
function recordCount(size: number, record: number, source: string): number {
  const whole = Math.floor(size / record);
  if (size === 0) throw new LoadError(OP, source, 'file is empty (expected records at offset 0)');
  if (size % record !== 0) {
    throw new LoadError(
      OP,
      source,
      `file is ${size} bytes, not a whole number of ${record}-byte records: the record at ` +
        `offset ${whole * record} is cut off after ${size % record} bytes (expected ${(whole + 1) * record} bytes)`,
    );
  }
  return whole;
}

function batchNumber(name: string): number {
  return Number(/\d+/.exec(name)![0]);
}
