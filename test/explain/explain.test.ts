import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import {
  attributionMap,
  EXPLAIN_METHODS,
  featureMaps,
  firstLayerFilters,
  Flatten,
  FoveaError,
  gradCam,
  gradCamPlusPlus,
  Generator,
  heatMapOverlay,
  lastSpatialLayer,
  Linear,
  occlusion,
  saliency,
  select,
  Sequential,
  smoothGrad,
  tileImage,
  zeros,
  type Tensor,
} from '../../src/index.js';
import { SIZE, SQUARE, squareImages, trainSquareModel } from './square-model.js';

/** [y, x] of the largest value of map n of maps [N, H, W]. */
function argmax2d(maps: Tensor, n: number): [number, number] {
  const [h, w] = maps.shape.slice(1);
  const m = maps.data.subarray(n * h * w, (n + 1) * h * w);
  let best = 0;
  for (let k = 1; k < m.length; k++) if (m[k] > m[best]) best = k;
  return [Math.floor(best / w), best % w];
}

describe('explain', () => {
  const model = trainSquareModel();
  const { images, corners } = squareImages(10, 7);
  const squares = [1, 3, 5, 7, 9];

  for (const [name, cam] of [
    ['gradCam', gradCam],
    ['gradCamPlusPlus', gradCamPlusPlus],
  ] as const) {
    it(`${name} puts its maximum on the square the decision depends on`, () => {
      const maps = cam(model, images, { layer: '3', target: 1 });
      assert.deepEqual(maps.shape, [10, SIZE, SIZE]);
      for (const n of squares) {
        const [y, x] = argmax2d(maps, n);
        const [cy, cx] = corners[n];
        assert.ok(
          y >= cy && y < cy + SQUARE && x >= cx && x < cx + SQUARE,
          `image ${n}: ${y},${x}`,
        );
      }
      assert.deepEqual(cam(model, images, { layer: '3', upsample: false }).shape, [10, SIZE, SIZE]);
    });
  }

  it('gives each method its documented shape', () => {
    const x = images.slice(0, 0, 2);
    assert.deepEqual(featureMaps(model, x, '1').shape, [2, 4, SIZE, SIZE]);
    assert.deepEqual(firstLayerFilters(model).weight.shape, [4, 1, 3, 3]);
    assert.equal(firstLayerFilters(model).layer, '0');
    assert.deepEqual(saliency(model, x).shape, [2, 1, SIZE, SIZE]);
    assert.deepEqual(smoothGrad(model, x, { samples: 2 }).shape, [2, 1, SIZE, SIZE]);
    assert.deepEqual(occlusion(model, x, { window: 4, stride: 4 }).shape, [2, SIZE, SIZE]);
    for (const method of EXPLAIN_METHODS)
      assert.deepEqual(attributionMap(model, x, { method }).shape, [2, SIZE, SIZE], method);
    assert.equal(lastSpatialLayer(model, x, 'test'), '3');
  });

  it('smoothGrad with one sample and no noise is vanilla saliency', () => {
    const plain = saliency(model, images, { target: 1 });
    const smooth = smoothGrad(model, images, { target: 1, samples: 1, noise: 0 });
    assert.deepEqual(Array.from(smooth.data), Array.from(plain.data));
  });

  it('occlusion of a region the model ignores changes nothing', () => {
    // Class 1's score reads only the top-left 8×8 quarter; class 0 is constant.
    const quarter = new Sequential(new Flatten(), new Linear(SIZE * SIZE, 2));
    const weight = (quarter.at(1) as Linear).weight;
    weight.data.fill(0);
    for (let y = 0; y < 8; y++)
      weight.data.fill(1, SIZE * SIZE + y * SIZE, SIZE * SIZE + y * SIZE + 8);
    const maps = occlusion(quarter, images, { target: 1, window: 4, stride: 4 });
    for (let n = 0; n < 10; n++)
      for (let y = 0; y < SIZE; y++)
        for (let x = 0; x < SIZE; x++) {
          const v = maps.data[(n * SIZE + y) * SIZE + x];
          if (y >= 8 || x >= 8) assert.equal(v, 0, `image ${n} pixel ${y},${x}`);
          else assert.ok(v > 0, `image ${n} pixel ${y},${x}`);
        }
  });

  it('leaves the parameters’ gradients and the training mode alone', () => {
    model.zeroGrad();
    model.train();
    gradCam(model, images, { layer: '3' });
    saliency(model, images);
    assert.ok(model.parameters().every((p) => p.grad === null && p.requiresGrad));
    assert.ok(model.training && model.at(0).training);
    model.eval();
  });

  it('names the layer and the shapes in its errors', () => {
    assert.throws(
      () => gradCam(model, images, { layer: 'features.9' }),
      (e: Error) =>
        e instanceof FoveaError &&
        /gradCam: the model has no layer 'features.9'; its layers are 0, 1, 2/.test(e.message),
    );
    assert.throws(
      () => gradCam(model, images, { layer: '6' }),
      /gradCam: layer '6' outputs shape \[10,2\], not a feature map/,
    );
    assert.throws(
      () => saliency(model, images, { target: 5 }),
      /saliency: target class 5 is out of range/,
    );
    assert.throws(() => smoothGrad(model, images, { samples: 0 }), /smoothGrad: samples must be/);
    const flat = new Sequential(new Flatten(), new Linear(SIZE * SIZE, 2));
    assert.throws(
      () => lastSpatialLayer(flat, images, 'explain'),
      /explain: no layer of the model outputs a feature map/,
    );
  });

  it('draws overlays and tiles as PNGs of the expected size', async () => {
    const map = select(gradCam(model, images, { layer: '3' }), 0, 1);
    const png = await heatMapOverlay(select(images, 0, 1), map, { scale: 3 });
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['png', 48, 48, 3]);
    const tiles = await tileImage(select(featureMaps(model, images, '1'), 0, 0), { scale: 2 });
    const tileMeta = await sharp(tiles).metadata();
    assert.deepEqual([tileMeta.format, tileMeta.width, tileMeta.height], ['png', 66, 66]);
    await assert.rejects(
      heatMapOverlay(zeros([1, 4, 4]), zeros([5, 5])),
      /heatMapOverlay: expected/,
    );
    const colour = await sharp(await heatMapOverlay(zeros([3, 4, 5]), zeros([4, 5]))).metadata();
    assert.deepEqual([colour.width, colour.height], [5, 4]);
  });

  it('smoothGrad is repeatable with a seeded generator', () => {
    const a = smoothGrad(model, images, { samples: 2, generator: new Generator(3) });
    const b = smoothGrad(model, images, { samples: 2, generator: new Generator(3) });
    assert.deepEqual(Array.from(a.data), Array.from(b.data));
  });
});
