import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  EarlyStopping,
  JsonLinesLogger,
  Linear,
  SGD,
  TerminateOnNaN,
  type Logs,
  type TrainContext,
} from '../../src/index.js';

function context(): TrainContext {
  const model = new Linear(2, 1);
  return {
    model,
    optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    epochs: 10,
    stepsPerEpoch: 1,
    epoch: 0,
    globalStep: 0,
    stopTraining: false,
    history: [],
  };
}

describe('callbacks', () => {
  it('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', () => {
    const ctx = context();
    const stop = new EarlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true });
    stop.onTrainBegin();
    const losses = [1.0, 0.5, 0.6, 0.7];
    let best: number[] = [];
    for (const [epoch, loss] of losses.entries()) {
      ctx.model.parameters()[0].data[0] = epoch; // a visible weight per epoch
      if (epoch === 1) best = Array.from(ctx.model.parameters()[0].data);
      stop.onEpochEnd(epoch, { val_loss: loss }, ctx);
      if (ctx.stopTraining) break;
    }
    assert.equal(stop.stoppedEpoch, 3);
    assert.deepEqual(Array.from(ctx.model.parameters()[0].data), best);
  });

  it('EarlyStopping watches accuracy upward and names a missing monitor', () => {
    const ctx = context();
    const stop = new EarlyStopping({ monitor: 'val_accuracy', patience: 0 });
    stop.onTrainBegin();
    stop.onEpochEnd(0, { val_accuracy: 0.5 }, ctx);
    stop.onEpochEnd(1, { val_accuracy: 0.6 }, ctx);
    assert.equal(ctx.stopTraining, false);
    stop.onEpochEnd(2, { val_accuracy: 0.55 }, ctx);
    assert.equal(ctx.stopTraining, true);
    assert.throws(
      () => new EarlyStopping().onEpochEnd(0, { loss: 1 }, context()),
      /EarlyStopping: monitor 'val_loss' is not logged/,
    );
  });

  it('TerminateOnNaN stops at the first non-finite loss and says where', () => {
    const ctx = context();
    const guard = new TerminateOnNaN();
    guard.onBatchEnd(0, { loss: 0.3 }, ctx);
    assert.equal(ctx.stopTraining, false);
    ctx.epoch = 2;
    guard.onBatchEnd(7, { loss: NaN }, ctx);
    assert.equal(ctx.stopTraining, true);
    assert.match(guard.reason!, /loss became NaN at epoch 2, batch 7/);
  });

  it('JsonLinesLogger appends one JSON line per epoch', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fovea-log-')), 'sub', 'log.jsonl');
    const logger = new JsonLinesLogger(path);
    const epochs: Logs[] = [
      { epoch: 0, loss: 1 },
      { epoch: 1, loss: 0.5 },
    ];
    epochs.forEach((logs, i) => logger.onEpochEnd(i, logs));
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.loss),
      [1, 0.5],
    );
    assert.ok(lines.every((l) => typeof l.time === 'string'));
  });
});
