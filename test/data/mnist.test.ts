import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeIdx } from '../../src/data/idx.js';
import { FASHION_MNIST_CLASSES, loadMnistFolder } from '../../src/data/mnist.js';
import { fashionMnistSample, fashionMnistSampleDir } from '../../src/data/fashion-mnist.js';
import { tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { put, tempDir, throwsFovea } from './util.js';

const DEBIAN = '/usr/share/datasets/fashion-mnist';

/** Writes an MNIST-style folder: `n` images of h × w and the given labels, for one split. */
function mnistFolder(
  dir: string,
  labels: number[],
  { prefix = 'train', gz = '', h = 4, w = 3, images = labels.length } = {},
): string {
  const pixels = Uint8Array.from({ length: images * h * w }, (_, i) => i % 251);
  put(
    dir,
    `${prefix}-images-idx3-ubyte${gz}`,
    encodeIdx(tensor(pixels, { shape: [images, h, w] })),
  );
  put(dir, `${prefix}-labels-idx1-ubyte${gz}`, encodeIdx(tensor(labels, { dtype: 'uint8' })));
  return dir;
}

/** How many samples of each class id a dataset's targets hold. */
function classCounts(targets: Tensor, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of targets.data) counts[label]++;
  return counts;
}

describe('loadMnistFolder', () => {
  it('loads uint8 images [1, H, W] and int32 labels, and their pixels in order', () => {
    const dir = mnistFolder(tempDir(), [3, 1, 2]);
    const data = loadMnistFolder(dir);
    assert.equal(data.length, 3);
    assert.deepEqual(data.inputs.shape, [3, 1, 4, 3]);
    assert.equal(data.inputs.dtype, 'uint8');
    assert.equal(data.targets.dtype, 'int32');
    const second = data.get(1);
    assert.deepEqual(second.input.shape, [1, 4, 3]);
    assert.deepEqual(
      Array.from(second.input.data),
      Array.from({ length: 12 }, (_, i) => 12 + i),
    );
    assert.equal(second.target.item(), 1);
    assert.deepEqual(data.classes, ['0', '1', '2', '3']); // numbers up to the largest label
  });

  it('finds the test split (t10k-*), gzipped, and keeps the splits apart', () => {
    const dir = tempDir();
    mnistFolder(dir, [0, 1], { prefix: 'train' });
    mnistFolder(dir, [1, 1, 0], { prefix: 't10k', gz: '.gz' });
    assert.equal(loadMnistFolder(dir).length, 2);
    assert.equal(loadMnistFolder(dir, { split: 'test' }).length, 3);
  });

  it('takes class names from classes.txt, then from a fashion* folder name', () => {
    const withFile = mnistFolder(tempDir(), [0, 2]);
    put(withFile, 'classes.txt', '\ncat\ndog\nbird\n\n');
    assert.deepEqual(loadMnistFolder(withFile).classes, ['cat', 'dog', 'bird']);
    const fashion = mnistFolder(join(tempDir(), 'Fashion-MNIST', 'raw'), [9, 0]);
    assert.deepEqual(loadMnistFolder(fashion).classes, FASHION_MNIST_CLASSES);
    const given = loadMnistFolder(fashion, {
      classes: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
    });
    assert.equal(given.classes![9], 'j');
  });

  it('refuses a label/image count mismatch, naming both files', () => {
    const dir = mnistFolder(tempDir(), [0, 1, 2], { images: 4 });
    throwsFovea(
      () => loadMnistFolder(dir),
      'loadMnistFolder',
      /train-labels-idx1-ubyte: holds 3 labels \(count at offset 4\) but .*train-images-idx3-ubyte holds 4 images/,
    );
  });

  it('refuses labels out of range with the label file offset', () => {
    const dir = mnistFolder(tempDir(), [0, 1, 7]);
    put(dir, 'classes.txt', 'a\nb\nc\n');
    throwsFovea(
      () => loadMnistFolder(dir),
      'loadMnistFolder',
      /train-labels-idx1-ubyte: label 7 at offset 10 is not a class id in \[0, 3\)/,
    );
  });

  it('refuses images that are not 3-D ubyte', () => {
    const dir = mnistFolder(tempDir(), [0]);
    put(dir, 'train-images-idx3-ubyte', encodeIdx(tensor([[1.5]])));
    throwsFovea(
      () => loadMnistFolder(dir),
      'loadMnistFolder',
      /expected ubyte images \[N, H, W\] \(type code and dimension count at offsets 2..4\), found float32 \[1,1\]/,
    );
  });

  it('lists the file names it looked for when a split is missing', () => {
    const dir = mnistFolder(tempDir(), [0], { prefix: 'train' });
    throwsFovea(
      () => loadMnistFolder(dir, { split: 'test' }),
      'loadMnistFolder',
      /no test split found: looked for t10k-images-idx3-ubyte \/ t10k-images-idx3-ubyte\.gz \/ t10k-images\.idx3-ubyte/,
      /but it holds train-images-idx3-ubyte, train-labels-idx1-ubyte/,
    );
  });
});

describe('the shipped Fashion-MNIST sample', () => {
  it('lives in data/fashion-mnist at the package root', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    assert.equal(fashionMnistSampleDir(), join(root, 'data', 'fashion-mnist'));
  });

  for (const [split, n] of [
    ['train', 10000],
    ['test', 2000],
  ] as const) {
    it(`${split}: ${n} images of [1, 28, 28], ${n / 10} per class, Fashion-MNIST's names`, () => {
      const data = fashionMnistSample(split);
      assert.equal(data.length, n);
      assert.deepEqual(data.inputs.shape, [n, 1, 28, 28]);
      assert.deepEqual(classCounts(data.targets, 10), new Array(10).fill(n / 10));
      assert.deepEqual(data.classes, FASHION_MNIST_CLASSES);
      // Real pictures, not blank: Fashion-MNIST's mean pixel is about 73 (of 255).
      let sum = 0;
      for (const pixel of data.inputs.data) sum += pixel;
      const mean = sum / data.inputs.size;
      assert.ok(mean > 60 && mean < 85, `mean pixel ${mean}`);
    });
  }
});

describe('the full Fashion-MNIST (Debian package dataset-fashion-mnist)', () => {
  const skip = existsSync(DEBIAN)
    ? false
    : `${DEBIAN} is missing (apt-get install dataset-fashion-mnist)`;
  it('loads 60,000 training and 10,000 test images, 6,000 and 1,000 per class', { skip }, () => {
    const train = loadMnistFolder(DEBIAN);
    const test = loadMnistFolder(DEBIAN, { split: 'test' });
    assert.deepEqual(train.inputs.shape, [60000, 1, 28, 28]);
    assert.deepEqual(test.inputs.shape, [10000, 1, 28, 28]);
    assert.deepEqual(classCounts(train.targets, 10), new Array(10).fill(6000));
    assert.deepEqual(classCounts(test.targets, 10), new Array(10).fill(1000));
    assert.deepEqual(train.classes, FASHION_MNIST_CLASSES);
    assert.equal(test.classes![test.get(0).target.item()], 'Ankle boot'); // as Zalando's README shows
  });
});
