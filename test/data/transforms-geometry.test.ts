import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  centerCrop,
  randomAffine,
  randomCrop,
  randomHorizontalFlip,
  randomResizedCrop,
  randomRotation,
  randomVerticalFlip,
  resize,
  type Transform,
} from '../../src/data/transforms/index.js';
import {
  arange,
  Generator,
  indexSelect,
  interpolate,
  pad,
  permute,
  rand,
  slice,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { throwsFovea } from './util.js';

/** A float32 image [C, H, W] holding 0, 1, 2, ... in order. */
const counting = (C: number, H: number, W: number) =>
  arange(0, C * H * W, 1, { dtype: 'float32' }).reshape([C, H, W]);
/** The same values as uint8. */
const bytes = (x: Tensor) => tensor(Uint8Array.from(x.data), { shape: x.shape });
const apply = (t: Transform, input: Tensor, seed = 0): Tensor =>
  t({ input, target: tensor(0) }, new Generator(seed)).input;
const close = (a: Tensor, b: Tensor, tol = 1e-5) => {
  assert.deepEqual(a.shape, b.shape);
  a.data.forEach((v, i) =>
    assert.ok(Math.abs(v - b.data[i]) <= tol, `element ${i}: ${v} vs ${b.data[i]}`),
  );
};
/** x reversed along `dim`. */
const reversed = (x: Tensor, dim: number) =>
  indexSelect(x, dim, arange(x.shape[dim] - 1, -1, -1, { dtype: 'int32' }));

describe('flips', () => {
  it('reverse the columns or the rows, exactly, for uint8 and float, 1 or 3 channels', () => {
    for (const x of [counting(1, 3, 4), bytes(counting(3, 2, 5))]) {
      const h = apply(randomHorizontalFlip({ p: 1 }), x);
      assert.equal(h.dtype, x.dtype);
      assert.deepEqual(h.toArray(), reversed(x, 2).toArray());
      assert.deepEqual(apply(randomVerticalFlip({ p: 1 }), x).toArray(), reversed(x, 1).toArray());
    }
    const sample = { input: counting(1, 2, 2), target: tensor(3) };
    assert.equal(randomHorizontalFlip({ p: 0 })(sample, new Generator(0)), sample);
  });

  it('flip with probability p over 1,000 draws', () => {
    for (const p of [0.3, 0.8]) {
      const g = new Generator(1);
      const flip = randomHorizontalFlip({ p });
      let flipped = 0;
      for (let i = 0; i < 1000; i++)
        if (flip({ input: counting(1, 1, 2), target: tensor(0) }, g).input.data[0] === 1) flipped++;
      // 3.5 standard deviations of a binomial(1000, p) share is at most 0.055.
      assert.ok(Math.abs(flipped / 1000 - p) < 0.055, `p ${p}: flipped ${flipped / 1000}`);
    }
  });
});

describe('crops', () => {
  it('randomCrop picks every window of the padded image, each exactly', () => {
    const x = counting(2, 3, 4);
    const padded = pad(x, [1, 1, 1, 1], { value: -1 });
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const out = apply(randomCrop([3, 4], { padding: 1, fill: -1 }), x, seed);
      const key = JSON.stringify(out.toArray());
      const matches = [0, 1, 2].flatMap((top) =>
        [0, 1, 2].filter(
          (left) =>
            key ===
            JSON.stringify(slice(slice(padded, 1, top, top + 3), 2, left, left + 4).toArray()),
        ),
      );
      assert.equal(matches.length, 1, `seed ${seed} gave no window of the padded image`);
      seen.add(key);
    }
    assert.equal(seen.size, 9, '3 × 3 window positions');
  });

  it('randomCrop pads with each padding mode, as F.pad and numpy do', () => {
    const x = counting(1, 2, 3); // [[0, 1, 2], [3, 4, 5]]
    const whole = (options: Parameters<typeof randomCrop>[1]) =>
      apply(randomCrop([2, 7], options), x).toArray();
    assert.deepEqual(
      whole({ padding: [2, 0], paddingMode: 'edge' }),
      pad(x, [2, 2], { mode: 'replicate' }).toArray(),
    );
    assert.deepEqual(
      whole({ padding: [2, 0], paddingMode: 'reflect' }),
      pad(x, [2, 2], { mode: 'reflect' }).toArray(),
    );
    assert.deepEqual(whole({ padding: [2, 0], paddingMode: 'symmetric' }), [
      [
        [1, 0, 0, 1, 2, 2, 1],
        [4, 3, 3, 4, 5, 5, 4],
      ],
    ]);
    assert.deepEqual(apply(randomCrop([3, 4], { padding: [1, 0, 0, 1], fill: 9 }), x).toArray(), [
      [
        [9, 0, 1, 2],
        [9, 3, 4, 5],
        [9, 9, 9, 9],
      ],
    ]);
  });

  it('centerCrop takes the centre as torchvision rounds it, and pads a small image', () => {
    assert.deepEqual(apply(centerCrop([1, 2]), counting(1, 3, 4)).toArray(), [[[5, 6]]]);
    // Offsets (3 − 2) / 2 = 0.5 and (5 − 2) / 2 = 1.5 round to even, as Python's round: 0 and 2.
    assert.deepEqual(apply(centerCrop([2, 2]), counting(1, 3, 5)).toArray(), [
      [
        [2, 3],
        [7, 8],
      ],
    ]);
    const ones = bytes(
      tensor([
        [
          [1, 1],
          [1, 1],
        ],
      ]),
    );
    assert.deepEqual(apply(centerCrop(4), ones).toArray(), [
      [
        [0, 0, 0, 0],
        [0, 1, 1, 0],
        [0, 1, 1, 0],
        [0, 0, 0, 0],
      ],
    ]);
    assert.deepEqual(apply(centerCrop(3), ones).toArray(), [
      [
        [1, 1, 0],
        [1, 1, 0],
        [0, 0, 0],
      ],
    ]);
  });

  it('refuse bad sizes and crops larger than the image', () => {
    throwsFovea(
      () => apply(randomCrop(5), counting(1, 4, 4)),
      'randomCrop',
      /crop size 5×5 is larger than the image 4×4/,
    );
    throwsFovea(() => randomCrop(0), 'randomCrop', /size must be a positive integer/);
    throwsFovea(
      () => randomCrop(2, { padding: -1 }),
      'randomCrop',
      /padding must be a non-negative integer/,
    );
    throwsFovea(
      () => randomCrop(2, { paddingMode: 'wrap' as never }),
      'randomCrop',
      /paddingMode must be one of constant, edge, reflect, symmetric, got 'wrap'/,
    );
    throwsFovea(() => centerCrop([2, 1.5]), 'centerCrop', /size must be/);
    throwsFovea(
      () => apply(centerCrop(2), counting(1, 1, 4).reshape([4])),
      'centerCrop',
      /expected one non-empty image \[C, H, W\], got shape \[4\]/,
    );
    throwsFovea(
      () => apply(centerCrop(2), tensor([[[1]]], { dtype: 'int32' })),
      'centerCrop',
      /uint8 or float image, got int32/,
    );
  });
});

describe('resize', () => {
  it('matches interpolate (bilinear, nearest-exact) on awkward sizes', () => {
    const x = rand([3, 5, 7], { generator: new Generator(3) });
    for (const [h, w] of [
      [3, 4],
      [9, 11],
      [5, 2],
    ] as const) {
      const batch = x.reshape([1, 3, 5, 7]);
      const bilinear = interpolate(batch, { size: [h, w], mode: 'bilinear' }).reshape([3, h, w]);
      close(apply(resize([h, w]), x), bilinear);
      const nearest = interpolate(batch, { size: [h, w], mode: 'nearest-exact' }).reshape([
        3,
        h,
        w,
      ]);
      close(apply(resize([h, w], { interpolation: 'nearest' }), x), nearest, 0);
    }
    assert.deepEqual(Array.from(apply(resize(2), counting(1, 4, 4)).data), [2.5, 4.5, 10.5, 12.5]);
  });

  it('matches the shorter side when given one number, and keeps uint8 as rounded uint8', () => {
    assert.deepEqual(apply(resize(3), counting(1, 4, 6)).shape, [1, 3, 4]);
    assert.deepEqual(apply(resize(3), counting(2, 7, 5)).shape, [2, 4, 3]);
    const out = apply(resize([1, 2]), bytes(tensor([[[0, 1, 3, 4]]])));
    assert.equal(out.dtype, 'uint8');
    // Bilinear halves 0.5 and 3.5 round to even: 0 and 4.
    assert.deepEqual(Array.from(out.data), [0, 4]);
  });
});

describe('rotation and affine', () => {
  it('rotating a square image by 90° is a transpose and a flip, within interpolation error', () => {
    const x = rand([3, 5, 5], { generator: new Generator(4) });
    const transposed = permute(x, [0, 2, 1]);
    // Counter-clockwise, as torchvision: the right column becomes the top row.
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      close(apply(randomRotation([90, 90], { interpolation }), x), reversed(transposed, 1));
      close(apply(randomRotation([-90, -90], { interpolation }), x), reversed(transposed, 2));
    }
    // A 45° turn brings the corners in from outside: they read the fill value.
    const turned = apply(randomRotation([45, 45], { fill: 7 }), counting(1, 5, 5));
    assert.deepEqual(
      [0, 4, 20, 24].map((i) => turned.data[i]),
      [7, 7, 7, 7],
    );
  });

  it('the identity affine is the identity, for uint8 and float', () => {
    for (const x of [rand([3, 4, 6], { generator: new Generator(5) }), bytes(counting(1, 5, 5))])
      for (const interpolation of ['bilinear', 'nearest'] as const)
        assert.deepEqual(apply(randomAffine({ interpolation }), x).toArray(), x.toArray());
  });

  it('scale 2 zooms into the centre', () => {
    // Bilinear sampling reproduces a linear image x + 10y exactly, so the zoom is exact.
    const W = 6;
    const linear = tensor(
      Float32Array.from({ length: W * W }, (_, i) => (i % W) + 10 * Math.floor(i / W)),
      { shape: [1, W, W] },
    );
    const out = apply(randomAffine({ scale: [2, 2], interpolation: 'bilinear' }), linear);
    const c = (W - 1) / 2;
    const at = (u: number) => c + (u - c) / 2;
    out.data.forEach((v, i) =>
      assert.ok(Math.abs(v - (at(i % W) + 10 * at(Math.floor(i / W)))) < 1e-5),
    );
  });

  it('translates by whole pixels within the range, filling what comes in', () => {
    const x = counting(1, 1, 8).add(1); // 1..8, so 0 marks the fill
    const shifted = (k: number) =>
      JSON.stringify(Array.from(x.data, (_, u) => (u - k >= 0 && u - k < 8 ? x.data[u - k] : 0)));
    const shifts = new Set<number>();
    for (let seed = 0; seed < 100; seed++) {
      const out = JSON.stringify(
        Array.from(apply(randomAffine({ translate: [0.25, 0] }), x, seed).data),
      );
      const k = [-2, -1, 0, 1, 2].find((s) => shifted(s) === out);
      assert.ok(k !== undefined, `seed ${seed}: ${out} is no shift by at most 0.25 · 8 pixels`);
      shifts.add(k);
    }
    assert.equal(shifts.size, 5);
  });

  it('shears rows about the centre row', () => {
    const out = apply(randomAffine({ shear: [45, 45] }), counting(1, 3, 3).add(1));
    assert.deepEqual(out.toArray(), [
      [
        [0, 1, 2],
        [4, 5, 6],
        [8, 9, 0],
      ],
    ]);
  });

  it('refuses bad arguments', () => {
    throwsFovea(
      () => randomRotation(-5),
      'randomRotation',
      /degrees must be ≥ 0 \(or \[min, max\]\), got -5/,
    );
    throwsFovea(
      () => randomAffine({ degrees: [10, -10] }),
      'randomAffine',
      /degrees must be \[min, max\] with/,
    );
    throwsFovea(
      () => randomAffine({ translate: [0.5, 2] }),
      'randomAffine',
      /translate must be \[x, y\].* each in \[0, 1\], got \[0.5,2\]/,
    );
    throwsFovea(() => randomAffine({ scale: [0, 1] }), 'randomAffine', /scale must be/);
    throwsFovea(
      () => randomAffine({ shear: [1, 2, 3] as never }),
      'randomAffine',
      /shear must be a number, \[min, max\] or/,
    );
    throwsFovea(
      () => randomRotation(5, { interpolation: 'cubic' as never }),
      'randomRotation',
      /interpolation must be one of nearest, bilinear/,
    );
  });
});

describe('randomResizedCrop', () => {
  /** The window a draw chose, read back from an image whose pixels hold their own index. */
  const windowOf = (out: Tensor, W: number) => {
    const values = Array.from(out.data);
    const [first, last] = [Math.min(...values), Math.max(...values)];
    const [top, left] = [Math.floor(first / W), first % W];
    return { top, left, h: Math.floor(last / W) - top + 1, w: (last % W) - left + 1 };
  };

  it('draws windows within the scale and ratio ranges, resized as crop then resize', () => {
    const [H, W] = [32, 32];
    const x = counting(1, H, W);
    const areas: number[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const t = randomResizedCrop(64, { scale: [0.25, 0.5], interpolation: 'nearest' });
      const { top, left, h, w } = windowOf(apply(t, x, seed), W);
      areas.push((h * w) / (H * W));
      // Rounding each side to whole pixels moves the area by at most (h + w)/2 + 1/4 pixels.
      const slack = ((h + w) / 2 + 0.25) / (H * W);
      assert.ok(
        areas.at(-1)! >= 0.25 - slack && areas.at(-1)! <= 0.5 + slack,
        `area ${areas.at(-1)}`,
      );
      assert.ok(w / h >= (3 / 4) * 0.8 && w / h <= (4 / 3) * 1.25, `ratio ${w / h}`);
      const crop = slice(slice(x, 1, top, top + h), 2, left, left + w);
      const bilinear = randomResizedCrop([20, 24], { scale: [0.25, 0.5] });
      close(apply(bilinear, x, seed), apply(resize([20, 24]), crop));
    }
    assert.ok(Math.min(...areas) < 0.3 && Math.max(...areas) > 0.45, 'the areas span the range');
  });

  it('falls back to the centred window within the ratio range', () => {
    // A window of the whole area with aspect ≥ 2 never fits a square: the fallback is 32 × 16, centred.
    const x = counting(3, 32, 32);
    const out = apply(randomResizedCrop([16, 32], { scale: [0.99, 1], ratio: [2, 3] }), x, 9);
    close(out, slice(x, 1, 8, 24));
  });

  it('refuses bad ranges', () => {
    throwsFovea(
      () => randomResizedCrop(8, { scale: [0.5, 0.1] }),
      'randomResizedCrop',
      /scale must be \[min, max\] with 0 ≤ min ≤ max ≤ 1, got \[0.5,0.1\]/,
    );
    throwsFovea(
      () => randomResizedCrop(8, { ratio: [0, 1] }),
      'randomResizedCrop',
      /ratio must be/,
    );
  });
});

describe('every geometric transform', () => {
  const transforms: [string, Transform][] = [
    ['randomCrop', randomCrop(6, { padding: 2, paddingMode: 'reflect' })],
    ['randomHorizontalFlip', randomHorizontalFlip()],
    ['randomVerticalFlip', randomVerticalFlip()],
    ['randomRotation', randomRotation(30, { interpolation: 'bilinear' })],
    [
      'randomAffine',
      randomAffine({
        degrees: 20,
        translate: [0.2, 0.2],
        scale: [0.8, 1.2],
        shear: 10,
        interpolation: 'bilinear',
      }),
    ],
    ['randomResizedCrop', randomResizedCrop([5, 7])],
  ];

  it('repeats with the same seed and differs with another', () => {
    const x = counting(3, 8, 8);
    for (const [name, t] of transforms) {
      const outs = [1, 2, 3, 4].map((seed) => JSON.stringify(apply(t, x, seed).toArray()));
      assert.equal(JSON.stringify(apply(t, x, 1).toArray()), outs[0], name);
      assert.ok(new Set(outs).size > 1, `${name} gave the same output for four seeds`);
    }
  });

  it('gives uint8 images the rounded float result, and leaves the input untouched', () => {
    const float = counting(3, 8, 8).mul(0.37);
    const uint8 = bytes(float);
    const floatOfBytes = tensor(Float32Array.from(uint8.data), { shape: uint8.shape });
    const before = Array.from(uint8.data);
    for (const [name, t] of transforms) {
      for (let seed = 0; seed < 5; seed++) {
        const out = apply(t, uint8, seed);
        assert.equal(out.dtype, 'uint8', name);
        const expected = new Uint8ClampedArray(apply(t, floatOfBytes, seed).data as Float32Array);
        assert.deepEqual(Array.from(out.data), Array.from(expected), name);
      }
    }
    assert.deepEqual(Array.from(uint8.data), before);
  });
});
