import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  Accuracy,
  affineUint8,
  compose,
  Conv1d,
  Conv2d,
  createModel,
  DataLoader,
  evaluate,
  fashionMnistSample,
  fuse,
  Linear,
  loadModel,
  loadQuantizedModel,
  noGrad,
  normalize,
  QuantizedConv,
  QuantizedLinear,
  quantize,
  randn,
  ReLU,
  saveQuantizedModel,
  Sequential,
  toFloat,
  type Dataset,
  type Module,
  type Tensor,
} from '../../src/index.js';
import { qgemmRequantize } from '../../src/backend/reference/qgemm.js';
import { roundHalfEven } from '../../src/backend/round.js';
import { Generator } from '../../src/tensor/random.js';
import { maxAbs, maxAbsDiff, randomizeNorms } from './helpers.js';

const FIXTURE = 'test/fixtures/deploy/fashion-cnn';
const scratch = mkdtempSync(join(tmpdir(), 'fovea-quantize-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const random = (shape: number[], seed = 2) => randn(shape, { generator: new Generator(seed) });

describe('the int8 kernel', () => {
  it('rounds half to even, as ONNX QuantizeLinear', () => {
    assert.deepEqual(
      [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4, -2.6].map(roundHalfEven),
      [-2, -2, -0, 0, 2, 2, 2, -3],
    );
  });

  it('computes clamp(z + round((W·x + b)·M)) exactly, rows in blocks of 4 and a remainder', () => {
    const [m, n, k] = [6, 5, 7];
    const g = new Generator(1);
    const int = (count: number, lo: number, hi: number) =>
      Array.from({ length: count }, () => g.integer(lo, hi + 1));
    const weight = Int8Array.from(int(m * k, -127, 127));
    const input = Int32Array.from(int(n * k, -128, 127));
    const bias = Int32Array.from(int(m, -500, 500));
    const multiplier = Float64Array.from({ length: m }, () => 0.001 + 0.01 * g.uniform());
    const out = new Uint8Array(m * n);
    qgemmRequantize({
      m,
      n,
      k,
      weight,
      weightOffset: 0,
      input,
      inputOffset: 0,
      bias,
      multiplier,
      rowOffset: 0,
      outputZeroPoint: 100,
      outputMin: 100,
      outputMax: 255,
      out,
      outOffset: 0,
      outRowStride: n,
      outColStride: 1,
    });
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = bias[i];
        for (let p = 0; p < k; p++) sum += weight[i * k + p] * input[j * k + p];
        const expected = Math.min(255, Math.max(100, 100 + roundHalfEven(sum * multiplier[i])));
        assert.equal(out[i * n + j], expected, `row ${i} column ${j}`);
      }
    }
  });
});

describe('quantized layers against float', () => {
  /** Quantizes `model` calibrated on x and checks its output stays within a few output steps. */
  function checkClose(model: Module, x: Tensor, steps = 4): void {
    const expected = noGrad(() => model.forward(x));
    const q = quantize(model, [x]);
    const [, layer] = q.quantizedLayers().at(-1)!;
    const actual = q.forward(x);
    const diff = maxAbsDiff(expected, actual);
    assert.ok(
      diff <= steps * layer.params.output.scale,
      `max |difference| ${diff} > ${steps} steps of ${layer.params.output.scale} (outputs up to ${maxAbs(expected)})`,
    );
  }

  const cases: [string, () => Module, number[]][] = [
    [
      'Conv2d stride 2, padding 1',
      () => new Sequential(new Conv2d(3, 8, 3, { stride: 2, padding: 1 })),
      [2, 3, 9, 9],
    ],
    [
      'depthwise Conv2d',
      () => new Sequential(new Conv2d(4, 4, 3, { groups: 4, padding: 'same' })),
      [2, 4, 6, 6],
    ],
    [
      'grouped dilated Conv2d + ReLU',
      () => new Sequential(new Conv2d(4, 6, 3, { groups: 2, dilation: 2 }), new ReLU()),
      [2, 4, 9, 9],
    ],
    [
      'Conv1d asymmetric padding',
      () => new Sequential(new Conv1d(2, 3, 4, { padding: [[1, 2]] })),
      [2, 2, 10],
    ],
    ['Linear + ReLU', () => new Sequential(new Linear(20, 7), new ReLU()), [5, 20]],
    [
      "Linear with activation: 'relu6'",
      () => new Sequential(new Linear(20, 7, { activation: 'relu6' })),
      [5, 20],
    ],
    [
      "Conv2d with activation: 'relu6'",
      () => new Sequential(new Conv2d(3, 5, 3, { padding: 1, activation: 'relu6' })),
      [2, 3, 7, 7],
    ],
  ];
  for (const [name, make, shape] of cases) {
    it(name, () => checkClose(make(), random(shape)));
  }

  it('mobilenet_v2 (folded norms, ReLU6, residual additions in float)', () => {
    const model = createModel('mobilenet_v2', { numClasses: 10, widthMult: 0.35 });
    randomizeNorms(model);
    const x = random([2, 3, 32, 32]);
    const expected = noGrad(() => model.eval().forward(x));
    const q = quantize(model, [x]);
    assert.ok(q.quantizedLayers().some(([, l]) => l instanceof QuantizedConv && l.groups > 1));
    assert.ok(q.quantizedLayers().some(([, l]) => l.activation === 'relu6'));
    // Errors add up over 50 layers; the logits should still be close relative to their spread.
    assert.ok(maxAbsDiff(expected, q.forward(x)) < 0.1 * maxAbs(expected));
  });
});

describe('quantize a trained fashion_cnn', () => {
  const { model: float, config } = loadModel(FIXTURE);
  const pre = compose([toFloat(), normalize(config.normalization!)]);
  const prepared = (d: Dataset, count: number, stride = 1): Dataset => ({
    length: count,
    get: (i) => pre(d.get(i * stride), new Generator(0)),
  });
  const train = fashionMnistSample('train');
  const test = prepared(fashionMnistSample('test'), 2000);
  const calibration = [...new DataLoader(prepared(train, 256, 39), { batchSize: 128 })].map(
    (b) => b.input,
  );
  const accuracy = (m: Module) => evaluate(m, test, { metrics: [new Accuracy()] }).accuracy;
  const fp32 = accuracy(float);
  const q = quantize(loadModel(FIXTURE).model, calibration);

  it('is within 1 percentage point of fp32 on the 2,000 test images', () => {
    const int8 = accuracy(q);
    assert.ok(Math.abs(int8 - fp32) <= 0.01, `int8 ${int8} vs fp32 ${fp32}`);
    assert.ok(fp32 > 0.8, `the fixture scores ${fp32}`);
  });

  it('runs every conv and linear in int8, fused with its ReLU', () => {
    const layers = q.quantizedLayers().map(([name, l]) => [name, l.constructor.name, l.activation]);
    assert.deepEqual(layers, [
      ['features.0', 'QuantizedConv', 'relu'],
      ['features.4', 'QuantizedConv', 'relu'],
      ['classifier.1', 'QuantizedLinear', 'relu'],
      ['classifier.4', 'QuantizedLinear', 'none'],
    ]);
  });

  it('saves and loads back to the same outputs, in a file 3.5× smaller or more', () => {
    const dir = join(scratch, 'int8');
    saveQuantizedModel(dir, q, config);
    const { model: loaded, config: loadedConfig } = loadQuantizedModel(dir);
    const x = calibration[0];
    assert.deepEqual(Array.from(loaded.forward(x).data), Array.from(q.forward(x).data));
    assert.deepEqual(loadedConfig.normalization, config.normalization);
    const ratio =
      statSync(join(FIXTURE, 'model.safetensors')).size /
      statSync(join(dir, 'model.safetensors')).size;
    assert.ok(ratio >= 3.5, `only ${ratio.toFixed(2)}× smaller`);
    assert.ok(q.byteSize() * 3.5 < statSync(join(FIXTURE, 'model.safetensors')).size);
    assert.throws(
      () => loadModel(dir),
      /loadModel: .* holds an int8 model written by saveQuantizedModel/,
    );
  });

  it('percentile calibration also stays within 1 point', () => {
    const p = quantize(loadModel(FIXTURE).model, calibration, { calibration: 'percentile' });
    assert.ok(Math.abs(accuracy(p) - fp32) <= 0.01);
  });
});

describe('quantize refuses', () => {
  it('a model without conv or linear layers, and no calibration data', () => {
    assert.throws(
      () => quantize(new Sequential(new ReLU()), [random([1, 2])]),
      /quantize: the model has no Conv1d\/2d\/3d or Linear layer/,
    );
    assert.throws(
      () => quantize(new Sequential(new Linear(2, 2)), []),
      /quantize: no calibration batches were given/,
    );
  });

  it('folds the activation clamp into uint8 ranges that hold zero', () => {
    assert.deepEqual(affineUint8(0, 0), { scale: 1, zeroPoint: 0 });
    const { scale, zeroPoint } = affineUint8(-1, 3);
    assert.equal(zeroPoint, 64);
    assert.equal(scale, Math.fround(4 / 255));
  });

  it('keeps fused layers of a fused model as fused', () => {
    const model = fuse(new Sequential(new Linear(3, 4), new ReLU()));
    const q = quantize(model, [random([4, 3])]);
    assert.ok(
      q.model instanceof Sequential && (q.model as Sequential).at(0) instanceof QuantizedLinear,
    );
  });
});
