import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { saveModel } from '../../src/io/model-file.js';
import { loadPretrained } from '../../src/io/pretrained.js';
import { Linear } from '../../src/nn/layers/linear.js';
import {
  findHead,
  freezeBackbone,
  replaceHead,
  transferParamGroups,
} from '../../src/nn/transfer.js';
import { createModel } from '../../src/nn/zoo/index.js';
import { crossEntropy } from '../../src/ops/cross-entropy.js';
import { AdamW } from '../../src/optim/adam.js';
import { randint, randn } from '../../src/tensor/create.js';
import { FoveaError } from '../../src/tensor/errors.js';
import { manualSeed } from '../../src/tensor/random.js';

const small = (numClasses = 10) => createModel('fashion_cnn', { widthMult: 0.25, numClasses });

describe('transfer learning: heads, freezing, parameter groups', () => {
  it('finds the last Linear as the head, or a named module', () => {
    const model = small();
    assert.equal(findHead(model).name, 'classifier.4');
    assert.equal(findHead(model, 'classifier').module, model.classifier);
    assert.throws(() => findHead(model, 'nope'), /findHead: the model has no module 'nope'/);
  });

  it('replaces the head with a fresh Linear of the right shape, in place', () => {
    const model = small();
    const old = findHead(model).module;
    const head = replaceHead(model, 5);
    assert.ok(head.module instanceof Linear && head.module !== old);
    assert.equal(model.classifier.at(4), head.module);
    assert.deepEqual(head.module.weight.shape, [5, 32]);
    assert.deepEqual(model.forward(randn([2, 1, 28, 28])).shape, [2, 5]);
    assert.throws(() => replaceHead(model, 5, { name: 'features' }), /not a Linear layer/);
    assert.throws(() => replaceHead(model, 0), FoveaError);
  });

  it('a step after freezeBackbone changes only the head', () => {
    manualSeed(0);
    const model = small();
    const head = freezeBackbone(model);
    const before = model.parameters().map((p) => p.data.slice());
    const trainable = model.parameters().filter((p) => p.requiresGrad);
    assert.deepEqual(trainable, head.module.parameters());
    const optimizer = new AdamW(trainable, { lr: 1e-2 });
    crossEntropy(
      model.forward(randn([4, 1, 28, 28])),
      randint(0, 10, [4], { dtype: 'int32' }),
    ).backward();
    optimizer.step();
    model.parameters().forEach((p, i) => {
      const changed = p.data.some((v, j) => v !== before[i][j]);
      assert.equal(changed, trainable.includes(p), `parameter ${i}`);
    });
  });

  it('parameter groups give the backbone the smaller learning rate', () => {
    const model = small();
    const groups = transferParamGroups(model, { lr: 1e-3, backboneLrScale: 0.1 });
    assert.deepEqual(
      groups.map((g) => g.lr),
      [1e-4, 1e-3],
    );
    assert.deepEqual(groups[1].params, findHead(model).module.parameters());
    assert.equal(groups[0].params.length + groups[1].params.length, model.parameters().length);
    const optimizer = new AdamW(groups);
    assert.deepEqual(
      optimizer.paramGroups.map((g) => g.lr),
      [1e-4, 1e-3],
    );
    freezeBackbone(model, { head: 'classifier' });
    const frozen = transferParamGroups(model, { lr: 1e-3, head: 'classifier' });
    assert.deepEqual(
      frozen.map((g) => g.lr),
      [1e-3],
    ); // the frozen backbone is left out
  });
});

describe('loadPretrained', () => {
  it('copies every matching tensor from a saved model and skips the other head', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fovea-pretrained-'));
    try {
      const source = small(10);
      saveModel(dir, source, {
        architecture: { name: 'fashion_cnn', options: { widthMult: 0.25 } },
      });
      const target = small(5);
      const result = loadPretrained(target, dir);
      assert.deepEqual(result.skipped, ['classifier.4.weight', 'classifier.4.bias']);
      assert.deepEqual([result.missing, result.unexpected], [[], []]);
      const from = source.stateDict();
      for (const name of result.loaded)
        assert.deepEqual(target.stateDict().get(name)!.data, from.get(name)!.data);
      const viaFile = loadPretrained(small(5), join(dir, 'model.safetensors'));
      assert.deepEqual(viaFile.loaded, result.loaded);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('strips a prefix, and refuses weights that match nothing', () => {
    const state = new Map([...small().stateDict()].map(([k, t]) => [`model.${k}`, t]));
    assert.equal(
      loadPretrained(small(), state, { prefix: 'model.' }).loaded.length,
      small().stateDict().size,
    );
    assert.throws(
      () => loadPretrained(small(), state),
      /loadPretrained: no tensor of the state dict matches/,
    );
    assert.throws(() => loadPretrained(small(), '/nonexistent'), /does not exist/);
  });
});
