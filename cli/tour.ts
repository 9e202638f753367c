import {
  conv2d,
  crossEntropy,
  defaultGenerator,
  flatten,
  kaimingUniform,
  linear,
  manualSeed,
  maxPool2d,
  noGrad,
  randint,
  randn,
  relu,
  sub,
  type Tensor,
} from '../src/index.js';

/**
 * Synthetic 8×8 images: class 0 has a bright horizontal bar, class 1 a vertical one, both at a
 * random position on noise. A CNN must learn oriented edge filters to tell them apart.
 */
function bars(count: number): { images: Tensor; labels: Tensor } {
  const labels = randint(0, 2, [count]);
  const images = randn([count, 1, 8, 8]).mul(0.3);
  for (let n = 0; n < count; n++) {
    const at = defaultGenerator.integer(0, 8);
    for (let i = 0; i < 8; i++) {
      const [row, col] = labels.data[n] === 0 ? [at, i] : [i, at];
      images.data[n * 64 + row * 8 + col] += 1;
    }
  }
  return { images, labels };
}

/**
 * `fovea tour` (and `npm start`): trains a two-layer CNN on synthetic bar images with the
 * functional API and plain SGD, printing the loss and the accuracy it reaches.
 */
export function tourCommand(print: (line: string) => void): void {
  manualSeed(0);
  print(
    'fovea tour: a conv → relu → max-pool → linear network learns horizontal vs vertical bars\n',
  );
  const conv = kaimingUniform([8, 1, 3, 3]).requireGrad();
  const head = kaimingUniform([2, 8 * 4 * 4]).requireGrad();
  const params = [conv, head];
  const forward = (x: Tensor) => {
    const features = maxPool2d(relu(conv2d(x, conv, undefined, { padding: 1 })), { kernelSize: 2 });
    return linear(flatten(features, 1), head); // [N, 8, 4, 4] → [N, 2]
  };

  const lr = 0.1;
  for (let step = 1; step <= 100; step++) {
    const { images, labels } = bars(32);
    const loss = crossEntropy(forward(images), labels);
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.data.set(sub(p, p.grad!.mul(lr)).data);
        p.zeroGrad();
      }
    });
    if (step % 20 === 0) print(`step ${step}: loss ${loss.item().toFixed(4)}`);
  }

  const test = bars(200);
  const predicted = noGrad(() => forward(test.images).argmax(1));
  const correct = predicted.eq(test.labels).sum().item();
  print(`\naccuracy on 200 new images: ${((100 * correct) / 200).toFixed(1)}%`);
}
