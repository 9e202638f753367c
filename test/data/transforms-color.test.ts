import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorJitter, randomErasing, type Transform } from '../../src/data/transforms/index.js';
import { Generator, ones, rand, tensor, type Tensor } from '../../src/index.js';
import { throwsFovea } from './util.js';

const apply = (t: Transform, input: Tensor, seed = 0): Tensor =>
  t({ input, target: tensor(0) }, new Generator(seed)).input;
const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) =>
  Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${i}: ${v} vs ${b[i]}`));
/** An RGB image [3, 1, n] from a list of [r, g, b] pixels. */
const rgb = (...pixels: number[][]) => tensor([0, 1, 2].map((c) => [pixels.map((p) => p[c])]));
const grey = (r: number, g: number, b: number) => 0.2989 * r + 0.587 * g + 0.114 * b;

describe('colorJitter', () => {
  it('brightness scales and clamps; contrast and saturation blend towards grey', () => {
    const x = rgb([0.2, 0.4, 0.6], [0.5, 0.1, 0.9]);
    near(apply(colorJitter({ brightness: [2, 2] }), x).data, [0.4, 1, 0.8, 0.2, 1, 1]);
    const levels = [grey(0.2, 0.4, 0.6), grey(0.5, 0.1, 0.9)];
    const mean = (levels[0] + levels[1]) / 2;
    near(apply(colorJitter({ contrast: [0, 0] }), x).data, new Array(6).fill(mean));
    near(apply(colorJitter({ saturation: [0, 0] }), x).data, [...levels, ...levels, ...levels]);
    // Factor 2 doubles each pixel's distance from its grey level (then clamps).
    const vivid = apply(colorJitter({ saturation: [2, 2] }), x).data;
    near([vivid[0], vivid[2]], [2 * 0.2 - levels[0], 2 * 0.4 - levels[0]]);
  });

  it('hue turns the colour wheel: a third of a turn takes red to green', () => {
    near(apply(colorJitter({ hue: [1 / 3, 1 / 3] }), rgb([1, 0, 0])).data, [0, 1, 0]);
    // Orange (30°) half a turn on is azure (210°); greys have no hue and stay.
    const out = apply(colorJitter({ hue: [0.5, 0.5] }), rgb([1, 0.5, 0], [0.3, 0.3, 0.3]));
    near(out.data, [0, 0.3, 0.5, 0.3, 1, 0.3]);
  });

  it('changes grey images by brightness and contrast only', () => {
    const x = tensor([[[0.2, 0.4]]]);
    const hueAndSaturation = colorJitter({ saturation: 0.9, hue: 0.5 });
    for (let seed = 0; seed < 5; seed++)
      assert.deepEqual(apply(hueAndSaturation, x, seed).toArray(), x.toArray());
    near(apply(colorJitter({ contrast: [0.5, 0.5] }), x).data, [0.25, 0.35]);
  });

  it('applies its adjustments in a random order, repeatable by seed', () => {
    // Brightness ×2 then contrast 0 gives the doubled mean (clamped); the other order, 2 × mean.
    const x = tensor([[[0.2, 0.8]]]);
    const jitter = colorJitter({ brightness: [2, 2], contrast: [0, 0] });
    const outcomes = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const v = apply(jitter, x, seed).data[0];
      assert.ok(
        [0.7, 1].some((o) => Math.abs(o - v) < 1e-6),
        `${v}`,
      );
      outcomes.add(Math.round(v * 10));
    }
    assert.equal(outcomes.size, 2, 'both orders happen');
    const full = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 });
    const image = rand([3, 4, 4], { generator: new Generator(1) });
    assert.deepEqual(apply(full, image, 7).toArray(), apply(full, image, 7).toArray());
    assert.notDeepEqual(apply(full, image, 7).toArray(), apply(full, image, 8).toArray());
    assert.ok(apply(full, image, 7).data.every((v) => v >= 0 && v <= 1));
  });

  it('works on uint8 images, clamping at 255', () => {
    const x = tensor(new Uint8Array([100, 200]), { shape: [1, 1, 2] });
    const out = apply(colorJitter({ brightness: [1.5, 1.5] }), x);
    assert.equal(out.dtype, 'uint8');
    assert.deepEqual(Array.from(out.data), [150, 255]);
  });

  it('refuses bad ranges and images', () => {
    throwsFovea(
      () => colorJitter({ hue: 0.6 }),
      'colorJitter',
      /hue must be in \[0, 0.5\] .*got 0.6/,
    );
    throwsFovea(
      () => colorJitter({ hue: [-1, 0] }),
      'colorJitter',
      /hue must be \[min, max\] with -0.5 ≤ min ≤ max ≤ 0.5/,
    );
    throwsFovea(
      () => colorJitter({ brightness: -1 }),
      'colorJitter',
      /brightness must be ≥ 0 \(or \[min, max\]\), got -1/,
    );
    throwsFovea(
      () => colorJitter({ contrast: [2, 1] }),
      'colorJitter',
      /contrast must be \[min, max\]/,
    );
    throwsFovea(
      () => apply(colorJitter(), rand([2, 2, 2])),
      'colorJitter',
      /grey \[1, H, W\] or RGB \[3, H, W\] image, got 2 channels/,
    );
  });
});

describe('randomErasing', () => {
  /** The erased box of a [C, H, W] image of ones, checked to be one rectangle in every channel. */
  const boxOf = (out: Tensor, values: number[]) => {
    const [C, H, W] = out.shape;
    const erased = (y: number, x: number) => out.data[y * W + x] !== 1;
    const cells = Array.from({ length: H * W }, (_, i) => i).filter((i) =>
      erased(Math.floor(i / W), i % W),
    );
    if (cells.length === 0) return null;
    const [top, left] = [Math.floor(cells[0] / W), Math.min(...cells.map((i) => i % W))];
    const [h, w] = [
      Math.floor(cells.at(-1)! / W) - top + 1,
      Math.max(...cells.map((i) => i % W)) - left + 1,
    ];
    assert.equal(cells.length, h * w, 'one rectangle');
    for (let c = 0; c < C; c++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const inside = y >= top && y < top + h && x >= left && x < left + w;
          assert.equal(out.data[(c * H + y) * W + x], inside ? values[c] : 1);
        }
    return { h, w };
  };

  it('erases one box of torchvision-distributed area and aspect with the given values', () => {
    const x = ones([3, 20, 20]);
    const areas: number[] = [];
    for (let seed = 0; seed < 100; seed++) {
      const box = boxOf(
        apply(randomErasing({ p: 1, value: [0.25, 0.5, 0.75] }), x, seed),
        [0.25, 0.5, 0.75],
      );
      if (!box) continue; // all 10 draws too large: left alone
      const { h, w } = box;
      assert.ok(h < 20 && w < 20);
      areas.push((h * w) / 400);
      const slack = ((h + w) / 2 + 0.25) / 400;
      assert.ok(areas.at(-1)! >= 0.02 - slack && areas.at(-1)! <= 0.33 + slack);
      assert.ok(h / w >= 0.3 * 0.7 && h / w <= 3.3 / 0.7, `aspect ${h / w}`);
    }
    assert.ok(areas.length > 90 && Math.min(...areas) < 0.06 && Math.max(...areas) > 0.28);
  });

  it('erases with probability p, keeps dtype, and leaves the sample when no box fits', () => {
    const g = new Generator(3);
    const erase = randomErasing({ p: 0.3, value: 0 });
    let erased = 0;
    for (let i = 0; i < 1000; i++) {
      const sample = {
        input: tensor(new Uint8Array(16).fill(9), { shape: [1, 4, 4] }),
        target: tensor(0),
      };
      const out = erase(sample, g).input;
      assert.equal(out.dtype, 'uint8');
      if (out.data.includes(0)) erased++;
    }
    assert.ok(Math.abs(erased / 1000 - 0.3) < 0.055, `erased ${erased / 1000}`);
    const sample = { input: ones([1, 5, 5]), target: tensor(0) };
    assert.equal(randomErasing({ p: 1, scale: [1, 1] })(sample, new Generator(0)), sample);
    assert.equal(randomErasing({ p: 0 })(sample, new Generator(0)), sample);
  });

  it("'random' fills the box with standard normal noise, repeatably", () => {
    const x = ones([1, 30, 30]);
    const t = randomErasing({ p: 1, scale: [0.3, 0.3], value: 'random' });
    const noise = Array.from(apply(t, x, 4).data).filter((v) => v !== 1);
    assert.ok(noise.length > 200);
    const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
    const variance = noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length;
    assert.ok(
      Math.abs(mean) < 0.25 && Math.abs(variance - 1) < 0.3,
      `mean ${mean}, var ${variance}`,
    );
    assert.deepEqual(apply(t, x, 4).toArray(), apply(t, x, 4).toArray());
    assert.notDeepEqual(apply(t, x, 4).toArray(), apply(t, x, 5).toArray());
  });

  it('refuses bad arguments', () => {
    throwsFovea(
      () => randomErasing({ p: 2 }),
      'randomErasing',
      /p must be a probability in \[0, 1\], got 2/,
    );
    throwsFovea(
      () => randomErasing({ scale: [0.5, 0.1] }),
      'randomErasing',
      /scale must be \[min, max\]/,
    );
    throwsFovea(
      () => apply(randomErasing({ value: [1, 2] }), ones([3, 4, 4])),
      'randomErasing',
      /value needs 1 or 3 entries \(one per channel\), got \[1,2\]/,
    );
  });
});
