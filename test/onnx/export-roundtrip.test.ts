import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportCommand } from '../../cli/export.js';
import { runCommand } from '../../cli/run.js';
import {
  createModel,
  exportOnnx,
  importOnnx,
  loadNpy,
  randn,
  saveModel,
  saveNpy,
} from '../../src/index.js';
import { decodeModel } from '../../src/onnx/proto.js';
import {
  foveaOutput,
  randomizeState,
  relativeMaxDiff,
  runOrt,
  worstDiffVsOrt,
} from './export-helpers.js';

const SHARED_MODELS = '../shared/fixtures/models';

describe('exportOnnx ↔ importOnnx', () => {
  it('importing an exported model gives back identical weights and outputs', () => {
    const model = createModel('resnet18', { numClasses: 10, stem: 'cifar' });
    randomizeState(model);
    const imported = importOnnx(exportOnnx(model, { inputShape: [3, 16, 16] }));
    for (const [name, t] of model.stateDict()) {
      if (name.endsWith('num_batches_tracked')) continue; // not used by the eval graph
      assert.deepEqual(imported.initializer(name)?.data, t.data, name);
    }
    const x = randn([2, 3, 16, 16]);
    assert.ok(
      relativeMaxDiff(foveaOutput(imported, x).data as Float32Array, foveaOutput(model, x)) < 1e-6,
    );
  });

  for (const name of ['squeezenet1_1', 'mobilenet_v2']) {
    const file = join(SHARED_MODELS, name, 'model.onnx');
    const skip = existsSync(file) ? false : `${file} is not on this machine`;
    it(
      `re-exports the imported ${name} (torchvision) with its initializer names`,
      { skip },
      async () => {
        const model = importOnnx(file);
        const bytes = exportOnnx(model, { inputShape: [3, 64, 64] });
        const names = new Set(decodeModel(bytes).graph!.initializer!.map((t) => t.name));
        for (const [param] of model.namedParameters()) assert.ok(names.has(param), param);
        assert.ok((await worstDiffVsOrt(model, bytes, [3, 64, 64])) <= 1e-5);
      },
    );
  }
});

describe('fovea export and fovea run', () => {
  it('export writes a file that fovea run and ONNX Runtime agree on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fovea-export-'));
    const file = join(dir, 'lenet5.onnx');
    const lines: string[] = [];
    exportCommand('lenet5', { onnx: file, input: '1,28,28' }, (l) => lines.push(l));
    assert.match(lines[0], /input \[batch,1,28,28\] → output \[batch,10\]/);
    const x = randn([3, 1, 28, 28]);
    saveNpy(join(dir, 'x.npy'), x);
    runCommand(file, { input: [`input=${join(dir, 'x.npy')}`], out: join(dir, 'out') }, (l) =>
      lines.push(l),
    );
    const ours = loadNpy(join(dir, 'out', 'output.npy'));
    const ort = await runOrt(new Uint8Array(readFileSync(file)), x);
    assert.deepEqual(ours.shape, [3, 10]);
    assert.ok(relativeMaxDiff(ort.data, ours) <= 1e-5);
  });

  it('export reads a saved model folder and its input shape', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fovea-export-'));
    const model = createModel('small_vgg', { width: 4, inChannels: 1 });
    randomizeState(model);
    const options = { width: 4, inChannels: 1 };
    saveModel(join(dir, 'model'), model, {
      architecture: { name: 'small_vgg', options },
      inputShape: [1, 16, 16],
    });
    const lines: string[] = [];
    exportCommand(join(dir, 'model'), { onnx: join(dir, 'vgg.onnx') }, (l) => lines.push(l));
    assert.match(lines[0], /input \[batch,1,16,16\]/);
    const bytes = new Uint8Array(readFileSync(join(dir, 'vgg.onnx')));
    assert.ok((await worstDiffVsOrt(model, bytes, [1, 16, 16])) <= 1e-5);
  });

  it('run refuses an --input without NAME=', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fovea-run-')), 'm.onnx');
    exportOnnx(createModel('lenet5'), { inputShape: [1, 28, 28], file });
    assert.throws(() => runCommand(file, { input: ['x.npy'] }, () => {}), /NAME=FILE.npy/);
  });
});
