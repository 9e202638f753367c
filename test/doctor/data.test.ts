import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compose, normalize, toFloat } from '../../src/data/transforms/index.js';
import { TensorDataset } from '../../src/data/tensor-dataset.js';
import { doctor } from '../../src/doctor/doctor.js';
import { createModel } from '../../src/nn/zoo/index.js';
import { add, mul } from '../../src/ops/arithmetic.js';
import { cast } from '../../src/ops/cast.js';
import { permute } from '../../src/ops/permute.js';
import { randint, randn } from '../../src/tensor/create.js';
import { Generator } from '../../src/tensor/random.js';
import { FASHION_STATS, fashion, fashion32, finding, ids } from './helpers.js';

const vgg = () => createModel('small_vgg', { inChannels: 1, width: 8 });
const shape32 = [1, 32, 32];
/** Only the data checks' findings: the structure of small_vgg at 32×32 is clean. */
const dataIds = (data: Parameters<typeof doctor>[1]['data'], extra = {}) =>
  ids(doctor(vgg(), { inputShape: shape32, data, samples: 64, ...extra }));

describe('doctor: data checks, each on data prepared wrong', () => {
  it('raw 0..255 pixels', () => {
    const raw = fashion((s) => ({ ...s, input: cast(s.input, 'float32') }), 1000);
    const found = doctor(createModel('fashion_cnn'), {
      inputShape: [1, 28, 28],
      data: raw,
      samples: 64,
      normalization: FASHION_STATS,
    });
    const f = finding(found, 'inputs-0-255');
    assert.equal(f.severity, 'error');
    assert.deepEqual([f.evidence.min, f.evidence.max], [0, 255]);
    assert.match(f.fix, /toFloat\(\), normalize/);
  });

  it('[0, 1] pixels given to a model trained on normalized inputs', () => {
    const unit = fashion(toFloat(), 1000);
    const options = { inputShape: [1, 28, 28], data: unit, samples: 64 };
    const found = doctor(createModel('fashion_cnn'), { ...options, normalization: FASHION_STATS });
    assert.ok(ids(found).includes('normalization-not-applied'));
    const normalized = fashion(compose([toFloat(), normalize(FASHION_STATS)]), 1000);
    const fine = doctor(createModel('fashion_cnn'), {
      ...options,
      data: normalized,
      normalization: FASHION_STATS,
    });
    assert.ok(!ids(fine).some((id) => id.startsWith('normaliz') || id.startsWith('inputs')));
  });

  it('inputs far from mean 0 / std 1', () => {
    const shifted = fashion32(1000);
    const offset = {
      length: 1000,
      get: (i: number) => {
        const s = shifted.get(i);
        return { ...s, input: add(mul(s.input, 20), 50) };
      },
    };
    const f = finding(
      doctor(vgg(), { inputShape: shape32, data: offset, samples: 64 }),
      'inputs-not-normalized',
    );
    assert.ok(f.evidence.mean > 40 && f.evidence.std > 10, JSON.stringify(f.evidence));
  });

  it('channels-last samples for a channels-first model, and a wrong size', () => {
    const nhwc = fashion32(200);
    const permuted = {
      length: 200,
      get: (i: number) => {
        const s = nhwc.get(i);
        return { ...s, input: permute(s.input, [1, 2, 0]) };
      },
    };
    assert.deepEqual(dataIds(permuted), ['layout-nhwc']);
    assert.deepEqual(dataIds(fashion(undefined, 200)), ['input-shape-mismatch']); // 28×28, model at 32
  });

  it('a deep CNN from random init on 200 images; not when pretrained', () => {
    const few = fashion(undefined, 200);
    const options = { inputShape: [1, 28, 28], data: few, samples: 64, objectSize: 10 };
    const f = finding(doctor(createModel('fashion_cnn'), options), 'small-dataset');
    assert.deepEqual([f.evidence.samples, f.evidence.convLayers], [200, 2]);
    assert.ok(f.evidence.paramsPerSample > 2000);
    const pretrained = doctor(createModel('fashion_cnn'), { ...options, pretrained: true });
    assert.ok(!ids(pretrained).includes('small-dataset'));
  });

  it('tabular features laid out as an image', () => {
    const g = new Generator(1);
    const table = new TensorDataset(
      randn([256, 1, 32, 32], { generator: g }),
      randint(0, 10, [256], { generator: g }),
    );
    const f = finding(doctor(vgg(), { inputShape: shape32, data: table }), 'no-spatial-structure');
    assert.ok(Math.abs(f.evidence.correlationH) < 0.1 && Math.abs(f.evidence.correlationW) < 0.1);
  });
});
