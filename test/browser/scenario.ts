/**
 * One workload that runs the same in Node and, bundled, in a browser page: a strided conv with
 * its fused ReLU and both gradients, then three Adam steps of a small CNN, then two epochs of
 * `fit` on a TensorDataset (shuffled by a seeded generator), all from one seed, and each big
 * enough that the wasm backend splits its kernels among the threads.
 * It takes fovea as an argument, so the page runs it on the browser bundle.
 */
import type * as Fovea from '../../src/browser.js';

/** What one run returns: plain numbers, to compare across the two hosts. */
export interface ScenarioResult {
  conv: number[];
  inputGrad: number[];
  weightGrad: number[];
  losses: number[];
  /** Each epoch's mean loss and accuracy under `fit`. */
  epochs: number[];
  parameters: number[];
}

/** Runs the workload on the backend `backend`. */
export async function scenario(fovea: typeof Fovea, backend: string): Promise<ScenarioResult> {
  const { setBackend, manualSeed, randn, randint, conv2d, crossEntropy } = fovea;
  setBackend(backend);
  manualSeed(11);
  const x = randn([8, 8, 33, 31], { requiresGrad: true });
  const weight = randn([16, 8, 3, 3], { requiresGrad: true });
  const bias = randn([16]);
  const y = conv2d(x, weight, bias, { stride: 2, padding: 1, activation: 'relu' });
  y.mul(y).sum().backward();

  const model = new fovea.Sequential(
    new fovea.Conv2d(1, 8, 3, { activation: 'relu' }),
    new fovea.Conv2d(8, 16, 3, { activation: 'relu' }),
    new fovea.MaxPool2d(2),
    new fovea.Flatten(),
    new fovea.Linear(16 * 12 * 12, 64),
    new fovea.ReLU(),
    new fovea.Linear(64, 10),
  );
  const optimizer = new fovea.Adam(model.parameters(), { lr: 1e-3 });
  const images = randn([32, 1, 28, 28]);
  const labels = randint(0, 10, [32]);
  const losses = [];
  for (let step = 0; step < 3; step++) {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.forward(images), labels);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  const data = new fovea.TensorDataset(images, labels);
  const generator = new fovea.Generator(5);
  const history = await fovea.fit(model, data, { optimizer, epochs: 2, batchSize: 8, generator });
  return {
    epochs: history.flatMap((logs) => [logs.loss, logs.accuracy]),
    conv: Array.from(y.data),
    inputGrad: Array.from(x.grad!.data),
    weightGrad: Array.from(weight.grad!.data),
    losses,
    parameters: model.parameters().flatMap((p) => Array.from(p.data)),
  };
}
