import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doctor } from '../../src/doctor/doctor.js';
import { ReLU } from '../../src/nn/layers/activation.js';
import { Flatten, Sequential } from '../../src/nn/layers/container.js';
import { Conv2d, ConvTranspose2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { BatchNorm2d } from '../../src/nn/layers/norm.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../../src/nn/layers/pool.js';
import { createModel } from '../../src/nn/zoo/index.js';
import { finding, ids } from './helpers.js';

const conv = (cin: number, cout: number, options = {}) =>
  new Conv2d(cin, cout, 3, { padding: 1, bias: false, ...options });
const block = (cin: number, cout: number) => [conv(cin, cout), new BatchNorm2d(cout), new ReLU()];
/** A classifier ending in global pooling and a linear layer to 10 classes. */
const classifier = (...features: ConstructorParameters<typeof Sequential>) =>
  new Sequential(...features, new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 10));

describe('doctor: structure checks, each on a model built broken', () => {
  it('receptive field smaller than the input, or than the objects', () => {
    const shallow = classifier(...block(1, 8), ...block(8, 8));
    const f = finding(doctor(shallow, { inputShape: [1, 28, 28] }), 'receptive-field-too-small');
    assert.deepEqual(f.evidence, { fieldH: 5, fieldW: 5, inputH: 28, inputW: 28 });
    assert.equal(f.severity, 'warning');
    assert.deepEqual(ids(doctor(shallow, { inputShape: [1, 28, 28], objectSize: 5 })), []);
    const lenet = doctor(createModel('lenet5'), { inputShape: [1, 28, 28], objectSize: 20 });
    assert.equal(finding(lenet, 'receptive-field-too-small').evidence.objectH, 20);
  });

  it('windows sliding over a map already pooled to 1×1', () => {
    const pools = [1, 2, 3, 4].map(() => new MaxPool2d(2));
    const model = classifier(...block(1, 8), ...pools, ...block(8, 8));
    const f = finding(doctor(model, { inputShape: [1, 16, 16] }), 'spatial-collapsed');
    assert.deepEqual(f.evidence, {
      layers: 1,
      inputH: 16,
      inputW: 16,
      mapAtFirstH: 1,
      mapAtFirstW: 1,
    });
  });

  it('segmentation with a classifier, and with a bottleneck of 2×2', () => {
    const flat = doctor(createModel('fashion_cnn'), {
      inputShape: [1, 28, 28],
      task: 'segmentation',
    });
    assert.equal(finding(flat, 'no-spatial-output').severity, 'error');
    const deep = createModel('unet', { inChannels: 1, numClasses: 2, baseWidth: 2, depth: 4 });
    const f = finding(
      doctor(deep, { inputShape: [1, 32, 32], task: 'segmentation' }),
      'over-pooled',
    );
    assert.deepEqual([f.evidence.bottleneckH, f.evidence.downsamplingH], [2, 16]);
  });

  it('a 2×2 pool on 7×7 drops the last row and column', () => {
    const model = classifier(...block(1, 8), new MaxPool2d(2));
    const f = finding(doctor(model, { inputShape: [1, 7, 7], objectSize: 1 }), 'drops-border');
    assert.deepEqual(f.evidence, { inputH: 7, inputW: 7, droppedH: 1, droppedW: 1 });
  });

  it("'same'-style padding with stride 2 on an odd size shifts the output grid", () => {
    const model = classifier(new Conv2d(1, 8, 4, { stride: 2, padding: 1 }));
    const f = finding(doctor(model, { inputShape: [1, 7, 7], objectSize: 1 }), 'off-centre-grid');
    assert.deepEqual(f.evidence, { inputH: 7, inputW: 7, shiftH: 0.5, shiftW: 0.5 });
    const even = doctor(model, { inputShape: [1, 8, 8], objectSize: 1 });
    assert.deepEqual(ids(even), []);
  });

  it('a transposed conv whose kernel the stride does not divide', () => {
    const model = new Sequential(conv(1, 8), new ConvTranspose2d(8, 1, 3, { stride: 2 }));
    const found = doctor(model, { inputShape: [1, 8, 8], objectSize: 1 });
    assert.deepEqual(finding(found, 'checkerboard-artefacts').evidence, {
      kernelH: 3,
      kernelW: 3,
      strideH: 2,
      strideW: 2,
    });
    const fixed = new Sequential(
      conv(1, 8),
      new ConvTranspose2d(8, 1, 4, { stride: 2, padding: 1 }),
    );
    assert.deepEqual(ids(doctor(fixed, { inputShape: [1, 8, 8], objectSize: 1 })), []);
  });

  it('a conv bias feeding batch norm', () => {
    const model = classifier(conv(1, 8, { bias: true }), new BatchNorm2d(8), new ReLU());
    const f = finding(
      doctor(model, { inputShape: [1, 8, 8], objectSize: 1 }),
      'bias-before-batchnorm',
    );
    assert.deepEqual(f.evidence, { layers: 1, wastedParams: 8 });
    assert.equal(f.severity, 'info');
  });

  it('batch norm in eval mode with running statistics never updated', () => {
    const model = classifier(...block(1, 8));
    const options = { inputShape: [1, 8, 8], objectSize: 1 };
    assert.deepEqual(ids(doctor(model, options)), []); // fresh, in training mode: fine
    assert.equal(
      finding(doctor(model.eval(), options), 'batchnorm-stats-never-updated').evidence.layers,
      1,
    );
    model.train();
    (model.at(1) as BatchNorm2d).weight!.data[0] = 1.5; // trained, but its statistics never were
    assert.ok(ids(doctor(model, options)).includes('batchnorm-stats-never-updated'));
  });

  it('a channels-last input shape cannot run, and says so', () => {
    const f = finding(doctor(createModel('lenet5'), { inputShape: [28, 28, 1] }), 'forward-fails');
    assert.match(f.fix, /channels-last.*\[1, 28, 28\]/);
  });
});
