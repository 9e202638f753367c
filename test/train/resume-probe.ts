/**
 * Run by resume.test.ts in fresh processes: trains a small CNN with dropout, shuffling,
 * augmentation and Adam, seeded, and prints JSON hashes of everything a resumed run must match.
 *
 *   straight <steps>                trains <steps> steps from the start
 *   first <steps> <dir>             trains <steps> steps, saving dir/last.safetensors at the end
 *   resume <steps> <dir>            loads dir/last.safetensors, trains on to step <steps>
 *
 * Usage: node --import tsx test/train/resume-probe.ts <mode> <steps> [dir]
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import '../../src/ops/methods.js';
import { DataLoader } from '../../src/data/loader.js';
import { TensorDataset } from '../../src/data/tensor-dataset.js';
import { compose } from '../../src/data/transforms/compose.js';
import { randomCrop } from '../../src/data/transforms/crop.js';
import { randomHorizontalFlip } from '../../src/data/transforms/flip.js';
import { ReLU } from '../../src/nn/layers/activation.js';
import { Flatten, Sequential } from '../../src/nn/layers/container.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { MaxPool2d } from '../../src/nn/layers/pool.js';
import { Adam } from '../../src/optim/adam.js';
import { randint, randn } from '../../src/tensor/create.js';
import { defaultGenerator, Generator, manualSeed } from '../../src/tensor/random.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { ModelCheckpoint } from '../../src/train/callbacks/model-checkpoint.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { fit } from '../../src/train/fit.js';

const [mode, stepsArg, dir] = process.argv.slice(2);
const steps = Number(stepsArg);

manualSeed(0);
const data = new TensorDataset(randn([40, 1, 8, 8]), randint(0, 3, [40]));
const model = new Sequential(
  new Conv2d(1, 4, 3, { padding: 1 }),
  new ReLU(),
  new Dropout(0.3),
  new MaxPool2d(2),
  new Flatten(),
  new Linear(64, 3),
);
const optimizer = new Adam(model.parameters(), { lr: 0.01 });
const generator = new Generator(7);
const loader = new DataLoader(data, {
  batchSize: 8,
  shuffle: true,
  generator,
  transform: compose([randomHorizontalFlip(), randomCrop(8, { padding: 1 })]),
});

let initialEpoch = 0;
let initialStep = 0;
if (mode === 'resume') {
  ({ epoch: initialEpoch, globalStep: initialStep } = loadCheckpoint(
    join(dir, 'last.safetensors'),
    {
      model,
      optimizer,
      generator,
      loader,
    },
  ));
}
await fit(model, loader, {
  optimizer,
  epochs: Math.ceil(steps / loader.length) + 1,
  initialEpoch,
  initialStep,
  generator,
  callbacks: [
    ...(mode === 'first' ? [new ModelCheckpoint(dir, { everySteps: steps, generator })] : []),
    { onBatchEnd: (_b, _l, ctx) => void (ctx.stopTraining = ctx.globalStep >= steps) },
  ],
});

const hash = (...arrays: ArrayLike<number>[]) => {
  const h = createHash('sha256');
  for (const a of arrays) h.update(Buffer.from(JSON.stringify(Array.from(a))));
  return h.digest('hex').slice(0, 16);
};
const tensors = (list: Tensor[]) => hash(...list.map((t) => t.data));
const { state } = optimizer.stateDict();
const moments = [...state.values()].flatMap((s) => Object.values(s));
loader.resumeAt(loader.position()!); // the batch after the last step, even at an epoch end
const next = loader[Symbol.iterator]().next().value!;
const position = loader.position()!;
console.log(
  JSON.stringify({
    weights: tensors(model.parameters()),
    moments: tensors(moments.filter((m): m is Tensor => typeof m !== 'number')),
    adamSteps: hash(moments.filter((m): m is number => typeof m === 'number')),
    rng: hash(generator.getState().words, defaultGenerator.getState().words),
    nextBatchIndices: hash(
      position.order.subarray((position.nextBatch - 1) * 8, position.nextBatch * 8),
    ),
    nextBatch: tensors([next.input, next.target]),
  }),
);
