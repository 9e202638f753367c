import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { detectDataset, loadDataset } from '../../src/data/detect.js';
import { encodeIdx } from '../../src/data/idx.js';
import { tensor } from '../../src/tensor/create.js';
import { put, rejectsFovea, tempDir, throwsFovea } from './util.js';

const png = () =>
  sharp({ create: { width: 5, height: 5, channels: 3, background: 'gray' } })
    .png()
    .toBuffer();

function idxSplit(dir: string, prefix: string, gz = '') {
  put(
    dir,
    `${prefix}-images-idx3-ubyte${gz}`,
    encodeIdx(tensor(new Uint8Array(8), { shape: [2, 2, 2] })),
  );
  put(dir, `${prefix}-labels-idx1-ubyte${gz}`, encodeIdx(tensor([0, 1], { dtype: 'uint8' })));
}

describe('detectDataset and loadDataset', () => {
  it('detect IDX folders and load their splits', async () => {
    const dir = tempDir();
    idxSplit(dir, 'train', '.gz');
    assert.deepEqual(detectDataset(dir), { format: 'idx', dir, splits: ['train'] });
    idxSplit(dir, 't10k');
    assert.deepEqual(detectDataset(dir).splits, ['train', 'test']);
    assert.deepEqual((await loadDataset(dir, { split: 'test' })).inputs.shape, [2, 1, 2, 2]);
  });

  it('detect CIFAR folders, also as the archive folder inside', async () => {
    const root = tempDir();
    const dir = join(root, 'cifar-10-batches-bin');
    put(dir, 'data_batch_1.bin', new Uint8Array(3073));
    assert.deepEqual(detectDataset(root), {
      format: 'cifar',
      dir,
      variant: 'CIFAR-10',
      splits: ['train'],
    });
    assert.equal((await loadDataset(root)).length, 1);
    await rejectsFovea(
      () => loadDataset(root, { split: 'test' }),
      'loadDataset',
      /the cifar dataset has no test split \(it has train\)/,
    );
  });

  it('detect image folders, with train/ and test/ (or val/) splits or as one split', async () => {
    const split = tempDir();
    put(split, 'train/cat/a.png', await png());
    put(split, 'train/dog/b.png', await png());
    put(split, 'val/cat/c.png', await png());
    const found = detectDataset(split);
    assert.deepEqual(found, {
      format: 'image-folder',
      dir: split,
      splits: ['train', 'test'],
      dirs: { train: join(split, 'train'), test: join(split, 'val') },
    });
    const test = await loadDataset(split, { split: 'test', size: [4, 4], channels: 1 });
    assert.deepEqual(test.inputs.shape, [1, 1, 4, 4]);
    assert.deepEqual(test.classes, ['cat']);
    await rejectsFovea(
      () => loadDataset(split),
      'loadDataset',
      /is an image folder: give the size \[height, width\]/,
    );

    const single = tempDir();
    put(single, 'cat/a.png', await png());
    assert.deepEqual(detectDataset(single).splits, ['train']);
    assert.equal((await loadDataset(single, { size: [2, 2] })).length, 1);
    await rejectsFovea(
      () => loadDataset(single, { split: 'test', size: [2, 2] }),
      'loadDataset',
      /put the images under train\/ and test\/ subfolders/,
    );
  });

  it('lists what it looked for when nothing matches', () => {
    const dir = tempDir();
    put(dir, 'data.csv', '1,2,3');
    put(dir, 'empty-class/readme.txt', '');
    throwsFovea(
      () => detectDataset(dir),
      'detectDataset',
      /no dataset found; looked for MNIST-family IDX files \(train-images-idx3-ubyte/,
      /CIFAR binary files \(data_batch_N\.bin and test_batch\.bin, or train\.bin and test\.bin\)/,
      /or an image folder \(one subfolder per class holding \.png\/\.jpg\/\.jpeg\/\.webp files/,
      /but it holds data\.csv, empty-class/,
    );
    throwsFovea(() => detectDataset(join(dir, 'nope')), 'detectDataset', /nope is not a folder/);
  });
});
