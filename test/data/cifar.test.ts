import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CIFAR10_CLASSES, findCifar, loadCifar } from '../../src/data/cifar.js';
import { put, tempDir, throwsFovea } from './util.js';

const PIXELS = 3072;

/** CIFAR records: each label list (1 byte for CIFAR-10, [coarse, fine] for CIFAR-100) then pixels
 * whose value encodes the record number and the channel, so the layout can be checked. */
function records(labels: number[][], first = 0): Uint8Array {
  const record = labels[0].length + PIXELS;
  const out = new Uint8Array(labels.length * record);
  labels.forEach((label, r) => {
    out.set(label, r * record);
    for (let p = 0; p < PIXELS; p++)
      out[r * record + label.length + p] = ((first + r) * 16 + Math.floor(p / 1024)) % 256;
  });
  return out;
}

describe('loadCifar (CIFAR-10)', () => {
  it('reads data_batch_N.bin in numeric order as [3, 32, 32] uint8 with int32 labels', () => {
    const dir = tempDir();
    put(dir, 'data_batch_1.bin', records([[3], [9]], 0));
    put(dir, 'data_batch_2.bin', records([[0]], 2));
    put(dir, 'data_batch_10.bin', records([[5]], 3)); // after 2, not after 1
    put(dir, 'test_batch.bin', records([[1], [2], [4]], 10));
    const train = loadCifar(dir);
    assert.deepEqual(train.inputs.shape, [4, 3, 32, 32]);
    assert.equal(train.inputs.dtype, 'uint8');
    assert.equal(train.targets.dtype, 'int32');
    assert.deepEqual(Array.from(train.targets.data), [3, 9, 0, 5]);
    const image = train.get(2).input; // record 2: red plane 32, green 33, blue 34
    assert.deepEqual(
      [image.data[0], image.data[1024], image.data[2048], image.data[3071]],
      [32, 33, 34, 34],
    );
    assert.deepEqual(train.classes, CIFAR10_CLASSES);
    const test = loadCifar(dir, { split: 'test' });
    assert.deepEqual(Array.from(test.targets.data), [1, 2, 4]);
  });

  it('takes class names from batches.meta.txt and finds the archive folder inside', () => {
    const root = tempDir();
    const dir = join(root, 'cifar-10-batches-bin');
    put(dir, 'test_batch.bin', records([[0]]));
    put(dir, 'batches.meta.txt', 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n');
    assert.deepEqual(findCifar(root), { dir, variant: 'CIFAR-10', splits: ['test'] });
    const data = loadCifar(root, { split: 'test' });
    assert.equal(data.classes![9], 'j');
    throwsFovea(
      () => loadCifar(root),
      'loadCifar',
      /holds CIFAR-10 but no train files \(it has test\)/,
    );
  });

  it('refuses a cut-off record, naming its offset', () => {
    const dir = tempDir();
    put(dir, 'data_batch_1.bin', records([[1], [2]]).subarray(0, 2 * 3073 - 5));
    throwsFovea(
      () => loadCifar(dir),
      'loadCifar',
      /data_batch_1\.bin: file is 6141 bytes, not a whole number of 3073-byte records: the record at offset 3073 is cut off after 3068 bytes/,
    );
  });

  it('refuses labels out of range with their offset, and empty files', () => {
    const dir = tempDir();
    put(dir, 'data_batch_1.bin', records([[1], [10]]));
    throwsFovea(
      () => loadCifar(dir),
      'loadCifar',
      /data_batch_1\.bin: label 10 at offset 3073 is not a CIFAR-10 class id in \[0, 10\)/,
    );
    put(dir, 'data_batch_1.bin', new Uint8Array(0));
    throwsFovea(() => loadCifar(dir), 'loadCifar', /data_batch_1\.bin: file is empty/);
  });

  it('says what it looked for when there is no CIFAR data', () => {
    const dir = tempDir();
    put(dir, 'notes.txt', 'hi');
    throwsFovea(
      () => loadCifar(dir),
      'loadCifar',
      /no CIFAR binary files found: looked for data_batch_N\.bin and test_batch\.bin/,
      /but it holds notes\.txt/,
    );
  });
});

describe('loadCifar (CIFAR-100)', () => {
  it('reads train.bin / test.bin with the fine label (second byte)', () => {
    const dir = tempDir();
    put(
      dir,
      'train.bin',
      records([
        [19, 99],
        [0, 42],
      ]),
    );
    put(dir, 'test.bin', records([[3, 7]]));
    const train = loadCifar(dir);
    assert.deepEqual(Array.from(train.targets.data), [99, 42]);
    assert.equal(train.get(1).input.data[0], 16); // pixels start after both label bytes
    assert.equal(train.classes!.length, 100);
    assert.deepEqual(Array.from(loadCifar(dir, { split: 'test' }).targets.data), [7]);
  });

  it('checks the fine label, at its offset, and the class-name count', () => {
    const dir = tempDir();
    put(
      dir,
      'train.bin',
      records([
        [0, 1],
        [0, 100],
      ]),
    );
    throwsFovea(
      () => loadCifar(dir),
      'loadCifar',
      /train\.bin: label 100 at offset 3075 is not a CIFAR-100 class id in \[0, 100\)/,
    );
    put(dir, 'train.bin', records([[0, 1]]));
    put(dir, 'fine_label_names.txt', 'apple\nbee\n');
    throwsFovea(
      () => loadCifar(dir),
      'loadCifar',
      /fine_label_names\.txt: lists 2 class names, CIFAR-100 has 100/,
    );
  });
});
