import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { doctor } from '../../src/doctor/doctor.js';
import { createModel } from '../../src/nn/zoo/index.js';
import { defaultGenerator } from '../../src/tensor/random.js';
import { fashion32, ids } from './helpers.js';

describe('doctor: healthy models get no findings', () => {
  it('small_vgg on normalized Fashion-MNIST at 32×32, with every data check', () => {
    const model = createModel('small_vgg', { inChannels: 1, width: 8 });
    assert.deepEqual(ids(doctor(model, { inputShape: [1, 32, 32], data: fashion32() })), []);
  });

  it('a shallow U-Net for segmentation at 32×32', () => {
    const model = createModel('unet', { inChannels: 1, numClasses: 2, baseWidth: 4, depth: 2 });
    assert.deepEqual(ids(doctor(model, { inputShape: [1, 32, 32], task: 'segmentation' })), []);
  });

  it('leaves the model as it found it: buffers, gradients, modes, random stream', () => {
    const model = createModel('small_vgg', { inChannels: 1, width: 4 }).eval();
    const before = new Map([...model.stateDict()].map(([k, t]) => [k, t.data.slice()]));
    const random = defaultGenerator.getState();
    doctor(model, { inputShape: [1, 32, 32], data: fashion32(64) });
    for (const [k, t] of model.stateDict()) assert.deepEqual(t.data, before.get(k), k);
    assert.ok(model.parameters().every((p) => p.grad === null && p.requiresGrad));
    assert.ok(model.namedModules().every(([, m]) => !m.training));
    assert.deepEqual(defaultGenerator.getState(), random);
  });
});
