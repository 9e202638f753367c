import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  Adam,
  crossEntropy,
  Generator,
  Linear,
  loadCheckpoint,
  manualSeed,
  randint,
  randn,
  saveCheckpoint,
  saveSafetensors,
  StepLR,
  tensor,
} from '../../src/index.js';

/** A tiny model, optimizer, schedule and generator, all seeded. */
function setup() {
  manualSeed(0);
  const model = new Linear(4, 3);
  const optimizer = new Adam(model.parameters(), { lr: 0.1 });
  const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  return { model, optimizer, scheduler, generator: new Generator(9) };
}

function step(parts: ReturnType<typeof setup>) {
  const x = randn([8, 4], { generator: parts.generator });
  const y = randint(0, 3, [8], { generator: parts.generator });
  parts.optimizer.zeroGrad();
  crossEntropy(parts.model.forward(x), y).backward();
  parts.optimizer.step();
  parts.scheduler.step();
}

describe('checkpoints', () => {
  it('resume bit-identically: model, optimizer moments, schedule and RNG', () => {
    const straight = setup();
    for (let i = 0; i < 6; i++) step(straight);

    const first = setup();
    for (let i = 0; i < 3; i++) step(first);
    const path = join(mkdtempSync(join(tmpdir(), 'fovea-ckpt-')), 'last.safetensors');
    saveCheckpoint(path, first, { epoch: 3, globalStep: 3, history: [{ loss: 1 }] });

    const resumed = setup();
    const progress = loadCheckpoint(path, resumed);
    assert.deepEqual(progress, { epoch: 3, globalStep: 3, history: [{ loss: 1 }] });
    for (let i = 0; i < 3; i++) step(resumed);
    assert.deepEqual(Array.from(resumed.model.weight.data), Array.from(straight.model.weight.data));
    assert.deepEqual(resumed.scheduler.getLastLr(), straight.scheduler.getLastLr());
    assert.equal(resumed.generator.uniform(), straight.generator.uniform());
  });

  it('refuses a file that is not a fovea checkpoint, naming it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fovea-ckpt-')), 'weights.safetensors');
    saveSafetensors(path, new Map([['w', tensor([1])]]));
    assert.throws(
      () => loadCheckpoint(path, setup()),
      /loadCheckpoint: .*weights\.safetensors: not a fovea checkpoint/,
    );
    saveSafetensors(path, new Map([['w', tensor([1])]]), { fovea_checkpoint: '{oops' });
    assert.throws(() => loadCheckpoint(path, setup()), /loadCheckpoint: .*is not valid JSON/);
  });
});
