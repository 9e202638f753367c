import {
  Adam,
  AdaptiveAvgPool2d,
  Conv2d,
  crossEntropy,
  Flatten,
  Generator,
  Linear,
  manualSeed,
  ReLU,
  Sequential,
  tensor,
  type Tensor,
} from '../../src/index.js';

/** Size of the synthetic images. */
export const SIZE = 16;
/** Side of the bright square that marks class 1. */
export const SQUARE = 4;

/**
 * Grey noise images [n, 1, 16, 16]; odd-indexed ones (class 1) hold a bright 4×4 square at a
 * random place, given back in `corners`, so where the evidence lies is known.
 */
export function squareImages(n: number, seed: number) {
  const g = new Generator(seed);
  const pixels = new Float32Array(n * SIZE * SIZE).map(() => 0.3 * g.uniform());
  const corners: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const [y, x] = [g.integer(0, SIZE - SQUARE + 1), g.integer(0, SIZE - SQUARE + 1)];
    corners.push([y, x]);
    if (i % 2 === 0) continue;
    for (let yy = y; yy < y + SQUARE; yy++)
      pixels.fill(1, i * SIZE * SIZE + yy * SIZE + x, i * SIZE * SIZE + yy * SIZE + x + SQUARE);
  }
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  return {
    images: tensor(pixels, { shape: [n, 1, SIZE, SIZE] }),
    labels: tensor(labels, { dtype: 'int32' }),
    corners,
  };
}

/** A small CNN (conv, ReLU, conv, ReLU, global average pool, linear) that finds the square. */
export function trainSquareModel(): Sequential {
  manualSeed(0);
  const model = new Sequential(
    new Conv2d(1, 4, 3, { padding: 1 }),
    new ReLU(),
    new Conv2d(4, 4, 3, { padding: 1 }),
    new ReLU(),
    new AdaptiveAvgPool2d(1),
    new Flatten(),
    new Linear(4, 2),
  );
  const { images, labels } = squareImages(64, 1);
  const optimizer = new Adam(model.parameters(), { lr: 0.03 });
  for (let step = 0; step < 40; step++) {
    const loss: Tensor = crossEntropy(model.forward(images), labels);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  return model.eval();
}
