import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadModel, saveModel, type SaveModelOptions } from '../../src/io/model-file.js';
import { encodeSafetensors, loadSafetensors, saveSafetensors } from '../../src/io/safetensors.js';
import type { Module } from '../../src/nn/module.js';
import { createModel } from '../../src/nn/zoo/index.js';
import { randn } from '../../src/tensor/create.js';
import { FoveaError } from '../../src/tensor/errors.js';
import { manualSeed } from '../../src/tensor/random.js';

const root = mkdtempSync(join(tmpdir(), 'fovea-model-file-'));
after(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const folder = () => join(root, `m${folders++}`);

const CNN = { name: 'fashion_cnn', options: { widthMult: 0.25, numClasses: 4 } };
const LENET = { name: 'lenet5', options: { numClasses: 3 } };

/** A small zoo CNN with batch norm whose running statistics are not the defaults. */
function trainedCnn(): Module {
  const model = createModel(CNN.name, CNN.options);
  for (const [name, t] of model.stateDict()) {
    if (name.endsWith('running_mean') || name.endsWith('running_var')) {
      for (let i = 0; i < t.size; i++) t.data[i] = 0.5 + 0.1 * i;
    }
  }
  return model;
}

const options: SaveModelOptions = {
  architecture: CNN,
  inputShape: [1, 28, 28],
  normalization: { mean: [0.286], std: [0.353] },
  classNames: ['shirt', 'trouser', 'bag', 'boot'],
};

function refuses(fn: () => unknown, op: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FoveaError, `expected a FoveaError, got ${String(e)}`);
    assert.equal(e.op, op);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('saveModel and loadModel', () => {
  it('round-trip a zoo model: identical outputs, eval mode, the config back', () => {
    manualSeed(1);
    const model = trainedCnn().eval();
    const dir = folder();
    saveModel(dir, model, options);
    const { model: loaded, config } = loadModel(dir);
    assert.equal(loaded.training, false);
    const x = randn([2, 1, 28, 28]);
    assert.deepEqual(Array.from(loaded.forward(x).data), Array.from(model.forward(x).data));
    assert.deepEqual(config, {
      formatVersion: 1,
      foveaVersion: (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
        .version,
      architecture: CNN,
      inputShape: [1, 28, 28],
      normalization: { mean: [0.286], std: [0.353] },
      classNames: ['shirt', 'trouser', 'bag', 'boot'],
    });
  });

  it('writes the state dict as PyTorch-named safetensors and a readable config.json', () => {
    const model = createModel(LENET.name, LENET.options);
    const dir = folder();
    saveModel(dir, model, { architecture: LENET });
    assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'model.safetensors']);
    const { tensors, metadata } = loadSafetensors(join(dir, 'model.safetensors'));
    assert.deepEqual(metadata, { format: 'pt' });
    assert.deepEqual([...tensors.keys()].sort(), [...model.stateDict().keys()].sort());
    const text = readFileSync(join(dir, 'config.json'), 'utf8');
    assert.match(
      text,
      /^\{\n {2}"formatVersion": 1,\n {2}"foveaVersion": "[^"]+",\n {2}"architecture": \{\n {4}"name": "lenet5",/,
    );
    assert.ok(text.endsWith('}\n'));
    assert.equal('inputShape' in JSON.parse(text), false);
  });

  it('leaves the seeded random stream where it was', () => {
    const model = createModel(LENET.name, LENET.options);
    manualSeed(5);
    const expected = Array.from(randn([4]).data);
    manualSeed(5);
    const dir = folder();
    saveModel(dir, model, { architecture: LENET });
    loadModel(dir);
    assert.deepEqual(Array.from(randn([4]).data), expected);
  });

  it('overwrites a saved model in place, leaving no temporary files', () => {
    const dir = folder();
    saveModel(dir, createModel(LENET.name, LENET.options), { architecture: LENET });
    const second = createModel(LENET.name, LENET.options);
    saveModel(dir, second, { architecture: LENET, classNames: ['a', 'b', 'c'] });
    assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'model.safetensors']);
    const { model, config } = loadModel(dir);
    assert.deepEqual(config.classNames, ['a', 'b', 'c']);
    const [name, weight] = [...second.stateDict()][0];
    assert.deepEqual(Array.from(model.stateDict().get(name)!.data), Array.from(weight.data));
  });
});

describe('saveModel refuses what could not be loaded back', () => {
  it('a model that does not match its architecture, writing nothing', () => {
    const dir = folder();
    const model = createModel(LENET.name, { numClasses: 5 });
    refuses(
      () => saveModel(dir, model, { architecture: LENET }),
      'saveModel',
      /does not match architecture 'lenet5' \{"numClasses":3\}.*mismatched shapes: 'fc3\.weight' is \[5,84\] but the model has \[3,84\]/,
    );
    assert.equal(existsSync(dir), false);
  });

  it('an architecture the zoo does not have, or bad options', () => {
    const model = createModel(LENET.name, LENET.options);
    refuses(
      () => saveModel(folder(), model, { architecture: { name: 'lenet6' } }),
      'saveModel',
      /cannot build architecture 'lenet6'/,
    );
    refuses(
      () =>
        saveModel(folder(), model, { architecture: { name: 'lenet5', options: { numClass: 3 } } }),
      'saveModel',
      /cannot build architecture 'lenet5'.*numClass/,
    );
  });

  it('bad normalization, input shape or class names', () => {
    const model = trainedCnn();
    const bad: [Partial<SaveModelOptions>, RegExp][] = [
      [{ normalization: { mean: [0.5], std: [0] } }, /std > 0/],
      [
        { normalization: { mean: [0.5, 0.5], std: [1, 1] } },
        /2 means and 2 stds for 1 input channels/,
      ],
      [{ normalization: { mean: [0.5], std: [1, 1] } }, /1 means and 2 stds/],
      [{ inputShape: [1, 28.5, 28] }, /inputShape should be a list of positive integers/],
      [{ classNames: [1, 2] as unknown as string[] }, /classNames should be a list of strings/],
    ];
    for (const [change, pattern] of bad) {
      refuses(() => saveModel(folder(), model, { ...options, ...change }), 'saveModel', pattern);
    }
  });
});

describe('loadModel refuses bad folders with errors naming the file', () => {
  const saved = folder();
  saveModel(saved, trainedCnn(), options);
  const config = readFileSync(join(saved, 'config.json'), 'utf8');
  const weights = readFileSync(join(saved, 'model.safetensors'));

  /** A copy of the saved model with config.json and/or model.safetensors replaced. */
  function variant(files: { config?: string; weights?: Uint8Array | null }): string {
    const dir = folder();
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), files.config ?? config);
    if (files.weights !== null)
      writeFileSync(join(dir, 'model.safetensors'), files.weights ?? weights);
    return dir;
  }
  const edit = (change: (c: Record<string, unknown>) => void) => {
    const c = JSON.parse(config) as Record<string, unknown>;
    change(c);
    return JSON.stringify(c);
  };
  const state = () => loadSafetensors(join(saved, 'model.safetensors')).tensors;

  it('a folder without a config', () => {
    refuses(
      () => loadModel(join(root, 'nowhere')),
      'loadModel',
      /nowhere\/config\.json: cannot read the model config .* a folder written by saveModel\?/,
    );
  });

  it('a config that is not JSON, of another version, or malformed', () => {
    refuses(
      () => loadModel(variant({ config: '{"formatVersion": 1,' })),
      'loadModel',
      /config\.json: not valid JSON/,
    );
    refuses(
      () => loadModel(variant({ config: edit((c) => (c.formatVersion = 2)) })),
      'loadModel',
      /formatVersion is 2 but this fovea reads 1/,
    );
    refuses(
      () => loadModel(variant({ config: edit((c) => delete c.architecture) })),
      'loadModel',
      /architecture should be \{ name: string, options/,
    );
    refuses(() => loadModel(variant({ config: '[]' })), 'loadModel', /should be a JSON object/);
    const proto = config.replace('"widthMult"', '"__proto__": 1, "widthMult"');
    refuses(() => loadModel(variant({ config: proto })), 'loadModel', /unsafe key '__proto__'/);
    refuses(
      () =>
        loadModel(
          variant({
            config: edit(
              (c) => ((c.architecture as { options: object }).options = { widthMult: [1] }),
            ),
          }),
        ),
      'loadModel',
      /option 'widthMult' should be a number, string or boolean/,
    );
  });

  it('an architecture the zoo cannot build', () => {
    const dir = variant({
      config: edit((c) => ((c.architecture as { name: string }).name = 'alexnet')),
    });
    refuses(() => loadModel(dir), 'loadModel', /config\.json: cannot build architecture 'alexnet'/);
  });

  it('weights that are missing, cut short, or of another architecture', () => {
    refuses(
      () => loadModel(variant({ weights: null })),
      'loadSafetensors',
      /model\.safetensors: cannot read the file/,
    );
    refuses(
      () => loadModel(variant({ weights: weights.subarray(0, weights.length - 10) })),
      'loadSafetensors',
      /model\.safetensors: .*file is \d+ bytes/,
    );

    const fewer = state();
    fewer.delete('features.1.running_var');
    fewer.set('extra.weight', randn([2]));
    refuses(
      () => loadModel(variant({ weights: encodeSafetensors(fewer) })),
      'loadModel',
      /model\.safetensors does not match architecture 'fashion_cnn' \{"widthMult":0\.25,"numClasses":4\} of config\.json: missing keys \[features\.1\.running_var\]; unexpected keys \[extra\.weight\]/,
    );
    const other = variant({});
    saveSafetensors(
      join(other, 'model.safetensors'),
      createModel(CNN.name, { ...CNN.options, numClasses: 7 }).stateDict(),
    );
    refuses(
      () => loadModel(other),
      'loadModel',
      /mismatched shapes: 'classifier\.\d\.weight' is \[7,\d+\] but the model has \[4,\d+\]/,
    );
  });
});
