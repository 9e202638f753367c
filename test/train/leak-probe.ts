/**
 * Run by memory.test.ts (and CI's full count) in a child with --expose-gc: trains a small CNN for
 * `steps` steps with fit, then runs `steps` predict calls, never calling dispose(), and prints
 * JSON: the backend's live-buffer count at every epoch end (after a collection), and heap plus
 * array-buffer bytes at step 1,000 and at the last step.
 *
 * Usage: node --expose-gc --import tsx test/train/leak-probe.ts [steps]
 */
import '../../src/ops/methods.js';
import { TensorDataset } from '../../src/data/tensor-dataset.js';
import { Flatten, Sequential } from '../../src/nn/layers/container.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { ReLU } from '../../src/nn/layers/activation.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { MaxPool2d } from '../../src/nn/layers/pool.js';
import { Adam } from '../../src/optim/adam.js';
import { getBackend } from '../../src/tensor/backend-registry.js';
import { randint, randn } from '../../src/tensor/create.js';
import { Generator, manualSeed } from '../../src/tensor/random.js';
import { fit, predict } from '../../src/train/fit.js';

const steps = Number(process.argv[2] ?? 10_000);
const SAMPLES = 512;
const BATCH = 8;
const WARM_UP = Math.min(1000, steps / 10);

/** Collects garbage and lets the finalizers that count live buffers run. */
async function settle(waitMs: number): Promise<{ live: number; bytes: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  // Finalizers run in later tasks, in batches: collect until the count holds for three rounds.
  const live = () => getBackend().memory!().liveBuffers;
  let count = live();
  for (let round = 0, still = 0; round < 30 && still < 3; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    still = live() === count ? still + 1 : 0;
    count = live();
  }
  const usage = process.memoryUsage();
  return { live: count, bytes: usage.heapUsed + usage.arrayBuffers };
}

/**
 * The settled count, waiting longer (up to about 1.5 s) while it is above `baseline`: on a busy
 * machine finalizers can lag behind the collections. A real leak stays above it.
 */
async function measure(baseline: number | undefined): Promise<{ live: number; bytes: number }> {
  let result = await settle(baseline === undefined ? 50 : 2);
  for (let wait = 50; baseline !== undefined && result.live > baseline && wait <= 800; wait *= 2) {
    result = await settle(wait);
  }
  return result;
}

getBackend().memory!(); // starts the count before anything is allocated
manualSeed(0);
const generator = new Generator(1);
const model = new Sequential(
  new Conv2d(1, 4, 3),
  new ReLU(),
  new MaxPool2d(2),
  new Flatten(),
  new Dropout(0.2),
  new Linear(4 * 3 * 3, 3),
);
const data = new TensorDataset(randn([SAMPLES, 1, 8, 8]), randint(0, 3, [SAMPLES]));
const epochs = Math.ceil(steps / (SAMPLES / BATCH));

const train = { epochLive: [] as number[], warmBytes: 0, endBytes: 0, baseline: 0 };
await fit(model, data, {
  optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
  epochs,
  batchSize: BATCH,
  generator,
  callbacks: [
    {
      onEpochEnd: async (_epoch, _logs, ctx) => {
        ctx.history.length = 0; // the history grows by design; it is not what is measured here
        if (ctx.globalStep < WARM_UP) return;
        const first = train.epochLive.length === 0;
        const { live, bytes } = await measure(first ? undefined : train.baseline);
        if (first) {
          train.baseline = live;
          train.warmBytes = bytes;
        }
        train.epochLive.push(live);
        train.endBytes = bytes;
      },
    },
  ],
});

const inference = { warmBytes: 0, endBytes: 0, baseline: 0, checkpoints: [] as number[] };
const x = randn([BATCH, 1, 8, 8]);
for (let call = 1; call <= steps; call++) {
  predict(model, x);
  if (call % WARM_UP === 0) {
    const { live, bytes } = await measure(call === WARM_UP ? undefined : inference.baseline);
    if (call === WARM_UP) {
      inference.baseline = live;
      inference.warmBytes = bytes;
    }
    inference.checkpoints.push(live);
    inference.endBytes = bytes;
  }
}
console.log(JSON.stringify({ steps, train, inference }));
