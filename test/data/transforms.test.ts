import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arange,
  Generator,
  tensor,
  TensorDataset,
  type Sample,
  type Tensor,
} from '../../src/index.js';
import {
  centerCrop,
  colorJitter,
  compose,
  computeMeanStd,
  cutmix,
  mixup,
  normalize,
  randomAffine,
  randomCrop,
  randomErasing,
  randomHorizontalFlip,
  randomResizedCrop,
  randomRotation,
  randomVerticalFlip,
  resize,
  toFloat,
  type Transform,
} from '../../src/data/transforms/index.js';

/** A [1, 3, 4] image holding 0..11, as float32. */
const image = () => arange(0, 12, 1, { dtype: 'float32' }).reshape([1, 3, 4]);
const apply = (t: Transform, input: Tensor, seed = 0): Tensor =>
  t({ input, target: tensor(0) } as Sample, new Generator(seed)).input;
const near = (a: number[], b: number[], tol = 1e-5) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

describe('transforms', () => {
  it('toFloat scales uint8 to [0, 1] and normalize standardises each channel', () => {
    const x = tensor(new Uint8Array([0, 51, 255, 102]), { shape: [2, 1, 2] });
    assert.deepEqual(
      Array.from(apply(toFloat(), x).data).map((v) => +v.toFixed(4)),
      [0, 0.2, 1, 0.4],
    );
    const y = apply(compose([toFloat(), normalize({ mean: [0.1, 0.5], std: [0.1, 0.5] })]), x);
    assert.ok(near(Array.from(y.data), [-1, 1, 1, -0.2]));
    assert.throws(
      () => apply(normalize({ mean: [0], std: [1] }), x),
      /normalize: image has 2 channels/,
    );
  });

  it('computeMeanStd gives the per-channel statistics of the data', () => {
    const ds = new TensorDataset(
      tensor([
        [[[0, 2]], [[1, 1]]],
        [[[4, 6]], [[1, 1]]],
      ]),
      tensor([0, 1], { dtype: 'int32' }),
    );
    const { mean, std } = computeMeanStd(ds);
    assert.deepEqual(mean, [3, 1]);
    assert.ok(near(std, [Math.sqrt(5), 0], 1e-5));
  });

  it('flips reverse columns or rows, exactly', () => {
    assert.deepEqual(apply(randomHorizontalFlip({ p: 1 }), image()).toArray(), [
      [
        [3, 2, 1, 0],
        [7, 6, 5, 4],
        [11, 10, 9, 8],
      ],
    ]);
    assert.deepEqual(apply(randomVerticalFlip({ p: 1 }), image()).toArray(), [
      [
        [8, 9, 10, 11],
        [4, 5, 6, 7],
        [0, 1, 2, 3],
      ],
    ]);
    assert.deepEqual(apply(randomHorizontalFlip({ p: 0 }), image()).toArray(), image().toArray());
  });

  it('flips with probability p', () => {
    const g = new Generator(1);
    let flipped = 0;
    for (let i = 0; i < 1000; i++) {
      const out = randomHorizontalFlip({ p: 0.3 })({ input: image(), target: tensor(0) }, g).input;
      if (out.data[0] === 3) flipped++;
    }
    assert.ok(Math.abs(flipped / 1000 - 0.3) < 0.05, `flipped ${flipped / 1000}`);
  });

  it('crops a window (with padding filled) and the centre', () => {
    assert.deepEqual(apply(centerCrop([1, 2]), image()).toArray(), [[[5, 6]]]);
    const windows = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const out = apply(randomCrop([3, 4], { padding: 1, fill: -1 }), image(), seed);
      assert.deepEqual(out.shape, [1, 3, 4]);
      windows.add(JSON.stringify(out.toArray()));
    }
    // 3 vertical × 3 horizontal offsets of the 5×6 padded image.
    assert.equal(windows.size, 9);
    assert.ok(
      windows.has(
        JSON.stringify([
          [
            [-1, -1, -1, -1],
            [-1, 0, 1, 2],
            [-1, 4, 5, 6],
          ],
        ]),
      ),
    );
  });

  it('rotating a square image by 90° turns rows into columns', () => {
    const sq = arange(0, 9, 1, { dtype: 'float32' }).reshape([1, 3, 3]);
    const out = apply(randomRotation([90, 90], { interpolation: 'nearest' }), sq);
    // Counter-clockwise, as torchvision: the top row becomes the left column, read bottom-up.
    assert.deepEqual(out.toArray(), [
      [
        [2, 5, 8],
        [1, 4, 7],
        [0, 3, 6],
      ],
    ]);
    assert.deepEqual(apply(randomAffine(), sq).toArray(), sq.toArray(), 'the identity affine');
  });

  it('zooms by 2 around the centre and resizes bilinearly', () => {
    const sq = arange(0, 16, 1, { dtype: 'float32' }).reshape([1, 4, 4]);
    const zoomed = apply(randomAffine({ scale: [2, 2] }), sq);
    assert.ok(
      Math.abs(zoomed.data[5] - (sq.data[5] + sq.data[10]) / 2) < 1.5,
      'the centre stays near the centre',
    );
    const small = apply(resize(2), sq);
    assert.deepEqual(Array.from(small.data), [2.5, 4.5, 10.5, 12.5]);
  });

  it('randomResizedCrop gives the requested size from windows within the scale range', () => {
    for (let seed = 0; seed < 20; seed++)
      assert.deepEqual(
        apply(randomResizedCrop(5, { scale: [0.5, 1] }), image(), seed).shape,
        [1, 5, 5],
      );
  });

  it('repeats with the same seed and differs with another', () => {
    const aug = compose([
      randomAffine({ degrees: 30, translate: [0.1, 0.1] }),
      randomErasing({ p: 1 }),
    ]);
    const x = arange(0, 64, 1, { dtype: 'float32' }).reshape([1, 8, 8]);
    assert.deepEqual(apply(aug, x, 5).toArray(), apply(aug, x, 5).toArray());
    assert.notDeepEqual(apply(aug, x, 5).toArray(), apply(aug, x, 6).toArray());
  });

  it('randomErasing writes the value into one box', () => {
    const x = arange(1, 65, 1, { dtype: 'float32' }).reshape([1, 8, 8]);
    const out = apply(randomErasing({ p: 1, value: 0 }), x, 3);
    const erased = Array.from(out.data).filter((v) => v === 0).length;
    assert.ok(erased >= 1 && erased < 64);
  });

  it('colorJitter keeps values in [0, 1] and changes grey images by brightness/contrast only', () => {
    const rgb = tensor(
      Float32Array.from({ length: 3 * 4 }, (_, i) => (i % 5) / 5),
      { shape: [3, 2, 2] },
    );
    const out = apply(
      colorJitter({ brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 0.2 }),
      rgb,
      2,
    );
    assert.ok(out.data.every((v) => v >= 0 && v <= 1));
    assert.notDeepEqual(out.toArray(), rgb.toArray());
    const greyImage = tensor([[[0.2, 0.4]]]);
    const bright = apply(colorJitter({ brightness: 0.5 }), greyImage, 1);
    assert.ok(
      Math.abs(bright.data[1] / bright.data[0] - 2) < 1e-5,
      'brightness scales every pixel alike',
    );
  });
});

describe('mixup and cutmix', () => {
  const batch = {
    input: arange(0, 2 * 16, 1, { dtype: 'float32' }).reshape([2, 1, 4, 4]),
    target: tensor([0, 2], { dtype: 'int32' }),
  };

  it('mixup blends images and one-hot targets with the same λ', () => {
    const out = mixup(batch, { alpha: 0.4, numClasses: 3 }, new Generator(7));
    out.target.toArray();
    const rows = out.target.toArray() as number[][];
    rows.forEach((r) => assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-6));
    // Pixel 0 of sample 0 is λ·0 + (1 − λ)·x_partner; its target puts λ on class 0 when the partner is sample 1.
    const lambda = rows[0][0];
    const partnerPixel = rows[0][2] > 0 ? 16 : 0;
    assert.ok(
      Math.abs(out.input.data[0] - (1 - lambda) * partnerPixel) < 1e-4 || partnerPixel === 0,
    );
  });

  it('cutmix pastes a box and weights targets by the pixels kept', () => {
    for (let seed = 0; seed < 10; seed++) {
      const out = cutmix(batch, { numClasses: 3 }, new Generator(seed));
      const changed = Array.from(out.input.data.subarray(0, 16)).filter(
        (v, i) => v !== batch.input.data[i],
      ).length;
      const rows = out.target.toArray() as number[][];
      if (rows[0][2] > 0 && rows[0][2] < 1)
        assert.ok(Math.abs(rows[0][2] - changed / 16) < 1e-6, `seed ${seed}`);
      rows.forEach((r) => assert.ok(Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-6));
    }
  });
});
