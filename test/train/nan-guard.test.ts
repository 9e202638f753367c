import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import '../../src/ops/methods.js';
import { NonFiniteError, withAnomalyDetection } from '../../src/autograd/anomaly.js';
import { TensorDataset } from '../../src/data/tensor-dataset.js';
import { ReLU } from '../../src/nn/layers/activation.js';
import { Flatten, Sequential } from '../../src/nn/layers/container.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { log } from '../../src/ops/unary.js';
import { Adam } from '../../src/optim/adam.js';
import { SGD } from '../../src/optim/sgd.js';
import { randint, randn, tensor } from '../../src/tensor/create.js';
import { manualSeed } from '../../src/tensor/random.js';
import { ModelCheckpoint } from '../../src/train/callbacks/model-checkpoint.js';
import { saveCheckpoint } from '../../src/train/checkpoint.js';
import { fit, type FitOptions } from '../../src/train/fit.js';

const root = mkdtempSync(join(tmpdir(), 'fovea-nan-'));
after(() => rmSync(root, { recursive: true, force: true }));

function setup() {
  manualSeed(0);
  const model = new Sequential(
    new Conv2d(1, 2, 3),
    new ReLU(),
    new Flatten(),
    new Linear(2 * 4 * 4, 3),
  );
  const data = new TensorDataset(randn([24, 1, 6, 6]), randint(0, 3, [24]));
  return { model, data };
}

/** Runs fit and returns the NonFiniteError it must throw. */
async function failure(
  model: Sequential,
  data: TensorDataset,
  options: FitOptions,
): Promise<NonFiniteError> {
  try {
    await fit(model, data, { batchSize: 8, epochs: 2, ...options });
  } catch (e) {
    assert.ok(e instanceof NonFiniteError, `expected a NonFiniteError, got ${String(e)}`);
    return e;
  }
  assert.fail('training went on');
}

describe('NaN/Inf guard', () => {
  it('a NaN in a batch stops that step and blames the data, through the first op', async () => {
    const { model, data } = setup();
    data.inputs.data[11 * 36 + 5] = NaN; // sample 11, whichever batch it lands in
    const dir = join(root, 'nan-batch');
    const e = await failure(model, data, {
      optimizer: new Adam(model.parameters()),
      callbacks: [new ModelCheckpoint(dir, { monitor: 'loss' })],
    });
    assert.equal(e.culprit, 'conv2d');
    assert.throws(() => readFileSync(join(dir, 'last.safetensors')), /ENOENT/); // nothing saved
    assert.match(
      e.message,
      /^conv2d: step \d+: the loss is NaN; the first non-finite value: conv2d: output \[8,2,4,4\] holds NaN at index \d+ \(in forward\), but its input 0 \[8,1,6,6\] already holds NaN at index \d+ and was made by no recorded op \(it comes from the data/,
    );
  });

  it('an infinite learning rate stops the first step, naming the optimizer', async () => {
    const { model, data } = setup();
    const e = await failure(model, data, {
      optimizer: new SGD(model.parameters(), { lr: Infinity }),
    });
    assert.equal(e.culprit, 'optimizer');
    assert.match(
      e.message,
      /^optimizer: step 1: the optimizer's update made parameter \d+ \[[\d,]+\]: it holds -?(Infinity|NaN) at index \d+ from finite weights and gradients \(learning rate Infinity\); lower it$/,
    );
  });

  it('huge weights overflow: the op that produced Infinity from finite inputs is named', async () => {
    const { model, data } = setup();
    (model.at(0) as Conv2d).weight.data.fill(3e38);
    const e = await failure(model, data, { optimizer: new SGD(model.parameters(), { lr: 0.1 }) });
    assert.match(
      e.message,
      /step 1: the loss is NaN; the first non-finite value: conv2d: output \[8,2,4,4\] holds -?Infinity at index \d+ \(in forward\), made from finite inputs, so this op produced it/,
    );
  });

  it('detectAnomaly checks every op of every step, and in backward rules', async () => {
    assert.throws(
      () => withAnomalyDetection(() => log(tensor([1, -1]))),
      /log: output \[2\] holds NaN at index 1 \(in forward\), made from finite inputs/,
    );
    const { model, data } = setup();
    const history = await fit(model, data, {
      optimizer: new Adam(model.parameters()),
      batchSize: 8,
      detectAnomaly: true,
    });
    assert.ok(Number.isFinite(history[0].loss));
    const x = tensor([0, 1], { requiresGrad: true });
    assert.throws(
      () => withAnomalyDetection(() => x.sqrt().sum().backward()),
      /holds Infinity at index 0 \(in the backward of sqrt\)/,
    );
  });

  it('the checkpoint writer refuses non-finite weights and keeps the previous file', () => {
    const { model } = setup();
    const path = join(root, 'last.safetensors');
    saveCheckpoint(path, { model }, { epoch: 1, globalStep: 3, history: [] });
    const before = readFileSync(path);
    (model.at(3) as Linear).bias!.data[2] = Infinity;
    assert.throws(
      () => saveCheckpoint(path, { model }, { epoch: 2, globalStep: 6, history: [] }),
      /saveCheckpoint: .*last\.safetensors: refusing to write a checkpoint whose 'model\.3\.bias' \[3\] holds Infinity at index 2; the file already there is kept/,
    );
    assert.ok(readFileSync(path).equals(before));
  });
});
