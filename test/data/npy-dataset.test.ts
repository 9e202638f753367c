import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadNpyDataset } from '../../src/data/npy-dataset.js';
import { saveNpy } from '../../src/io/npy.js';
import { tensor } from '../../src/tensor/create.js';
import { tempDir, throwsFovea } from './util.js';

describe('loadNpyDataset', () => {
  it('pairs inputs [N, ...] with targets [N], uint8 targets becoming int32 class ids', () => {
    const dir = tempDir();
    saveNpy(
      `${dir}/x.npy`,
      tensor(
        new Uint8Array(12).map((_, i) => i),
        { shape: [3, 1, 2, 2] },
      ),
    );
    saveNpy(`${dir}/y.npy`, tensor([2, 0, 1], { dtype: 'uint8' }));
    const data = loadNpyDataset(`${dir}/x.npy`, `${dir}/y.npy`, { classes: ['a', 'b', 'c'] });
    assert.equal(data.length, 3);
    assert.equal(data.targets.dtype, 'int32');
    assert.deepEqual(data.get(2).input.toArray(), [
      [
        [8, 9],
        [10, 11],
      ],
    ]);
    assert.equal(data.get(0).target.item(), 2);
  });

  it('keeps float targets (regression) and refuses mismatched lengths', () => {
    const dir = tempDir();
    saveNpy(`${dir}/x.npy`, tensor([[1], [2]]));
    saveNpy(`${dir}/y.npy`, tensor([0.5, 1.5]));
    assert.equal(loadNpyDataset(`${dir}/x.npy`, `${dir}/y.npy`).targets.dtype, 'float32');
    saveNpy(`${dir}/y.npy`, tensor([0.5, 1.5, 2.5]));
    throwsFovea(
      () => loadNpyDataset(`${dir}/x.npy`, `${dir}/y.npy`),
      'loadNpyDataset',
      /x\.npy has shape \[2,1\] but .*y\.npy has \[3\]; both need the number of samples as their first dimension/,
    );
  });
});
