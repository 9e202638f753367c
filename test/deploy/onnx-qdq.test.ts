import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Conv1d,
  createModel,
  exportOnnx,
  Linear,
  loadModel,
  quantize,
  randn,
  ReLU6,
  Sequential,
  type Module,
  type Tensor,
} from '../../src/index.js';
import { decodeModel } from '../../src/onnx/proto.js';
import { Generator } from '../../src/tensor/random.js';
import { runOrt } from '../onnx/export-helpers.js';
import { maxAbsDiff, randomizeNorms } from './helpers.js';

const random = (shape: number[], seed = 4) => randn(shape, { generator: new Generator(seed) });

/** Quantizes `model` on x, exports it, and compares ONNX Runtime's output with fovea's. */
async function exportAndCompare(model: Module, x: Tensor) {
  const q = quantize(model, [x]);
  const bytes = exportOnnx(q, { input: x });
  const ours = q.forward(x);
  const theirs = await runOrt(bytes, x);
  assert.deepEqual([...theirs.dims], ours.shape);
  const step = q.quantizedLayers().at(-1)![1].params.output.scale;
  return { diff: maxAbsDiff(ours, { data: theirs.data, size: ours.size } as Tensor), step, bytes };
}

describe('ONNX export of int8 models (QDQ), run by ONNX Runtime', () => {
  it('the trained fashion_cnn fixture: the same outputs', async () => {
    const model = loadModel('test/fixtures/deploy/fashion-cnn').model;
    const { diff, bytes } = await exportAndCompare(model, random([16, 1, 28, 28]));
    assert.equal(diff, 0);
    const ops = decodeModel(bytes).graph!.node!.map((n) => n.op_type);
    assert.equal(ops.filter((o) => o === 'Conv').length, 2);
    assert.equal(ops.filter((o) => o === 'Gemm').length, 2);
    assert.ok(ops.filter((o) => o === 'QuantizeLinear').length >= 8);
    const int8 = decodeModel(bytes).graph!.initializer!.filter((t) => t.data_type === 3);
    assert.ok(
      int8.some((t) => t.dims?.join() === '8,1,3,3'),
      'the first conv weight is INT8',
    );
  });

  it('mobilenet_v2 (depthwise convs, ReLU6, residual additions): within one output step', async () => {
    const model = createModel('mobilenet_v2', { numClasses: 10, widthMult: 0.35 });
    randomizeNorms(model);
    const { diff, step } = await exportAndCompare(model, random([2, 3, 32, 32]));
    assert.ok(diff <= step * 1.001, `difference ${diff} > one step ${step}`);
  });

  it('resnet18 (stem fused by name, residual additions in float): the same outputs', async () => {
    const model = createModel('resnet18', { stem: 'cifar', numClasses: 10 });
    randomizeNorms(model);
    const { diff, step } = await exportAndCompare(model, random([2, 3, 16, 16]));
    assert.ok(diff <= step * 1.001, `difference ${diff} > one step ${step}`);
  });

  it('Conv1d and Linear with ReLU6', async () => {
    const model = new Sequential(new Conv1d(3, 4, 3, { padding: 1 }), new ReLU6());
    const { diff, step } = await exportAndCompare(model, random([2, 3, 8]));
    assert.ok(diff <= step * 1.001);
    const linear = new Sequential(new Linear(6, 5), new ReLU6());
    assert.ok((await exportAndCompare(linear, random([3, 6]))).diff <= 1e-6);
  });
});
