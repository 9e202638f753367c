import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createModel, exportOnnx, randn, type ModelOptions } from '../../src/index.js';
import { decodeModel } from '../../src/onnx/proto.js';
import {
  foveaOutput,
  randomizeState,
  relativeMaxDiff,
  runOrt,
  worstDiffVsOrt,
} from './export-helpers.js';

/** Every zoo model, at small widths and input sizes so the whole file runs in seconds. */
const zoo: [string, ModelOptions, number[]][] = [
  ['lenet5', {}, [1, 28, 28]],
  ['fashion_cnn', { widthMult: 0.25 }, [1, 28, 28]],
  ['small_vgg', { width: 8 }, [3, 32, 32]],
  ['resnet18', { numClasses: 10, stem: 'cifar' }, [3, 16, 16]],
  ['resnet34', { numClasses: 10 }, [3, 32, 32]],
  ['mobilenet_v2', { widthMult: 0.25, numClasses: 10 }, [3, 32, 32]],
  ['unet', { baseWidth: 8, depth: 2 }, [1, 16, 16]],
];

describe('exportOnnx: zoo models in ONNX Runtime', () => {
  for (const [name, options, shape] of zoo) {
    it(`${name} matches fovea within 1e-5 of the output scale, at batch 1 and 3`, async (t) => {
      const model = createModel(name, options);
      randomizeState(model);
      const bytes = exportOnnx(model, { inputShape: shape });
      const diff = await worstDiffVsOrt(model, bytes, shape);
      t.diagnostic(`relative max diff ${diff.toExponential(2)}`);
      assert.ok(diff <= 1e-5, `${name}: relative max diff ${diff}`);
    });
  }

  it('names initializers as the state dict and declares a symbolic batch dim', () => {
    const model = createModel('resnet18', { numClasses: 10, stem: 'cifar' });
    const graph = decodeModel(exportOnnx(model, { inputShape: [3, 16, 16] })).graph!;
    const names = new Set(graph.initializer!.map((t) => t.name));
    for (const [name] of model.namedParameters()) assert.ok(names.has(name), name);
    assert.ok(names.has('layer1.0.bn1.running_mean'));
    assert.equal(graph.input![0].type!.tensor_type!.shape!.dim![0].dim_param, 'batch');
    assert.equal(graph.output![0].type!.tensor_type!.shape!.dim![0].dim_param, 'batch');
  });

  it('names the graph input and output as asked', async () => {
    const model = createModel('lenet5');
    const names = { inputNames: ['images'], outputNames: ['logits'] };
    const bytes = exportOnnx(model, { inputShape: [1, 28, 28], ...names });
    const x = randn([2, 1, 28, 28]);
    const got = await runOrt(bytes, x, { input: 'images', output: 'logits' });
    assert.ok(relativeMaxDiff(got.data, foveaOutput(model, x)) <= 1e-5);
  });

  it('restores the training flags of every module after tracing', () => {
    const model = createModel('lenet5');
    exportOnnx(model, { inputShape: [1, 28, 28] });
    assert.ok(model.namedModules().every(([, m]) => m.training));
  });
});
