import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SGD,
  createModel,
  crossEntropy,
  manualSeed,
  randint,
  randn,
  tidy,
  type Module,
  type Tensor,
} from '../../src/index.js';
import { residentMemory } from '../../src/backend/wasm/arena.js';

// Each zoo architecture (residual adds, depthwise convs, batch norm in training mode, the
// U-Net's concats and upsampling) takes the same training steps on the wasm backend inside a
// memory scope as outside: losses, gradients, weights and running statistics bit for bit.
const cases: [string, () => Module, number[], number][] = [
  ['lenet5', () => createModel('lenet5'), [4, 1, 28, 28], 10],
  ['fashion_cnn', () => createModel('fashion_cnn', { widthMult: 0.5 }), [4, 1, 28, 28], 10],
  ['small_vgg', () => createModel('small_vgg', { width: 8 }), [2, 3, 32, 32], 10],
  [
    'resnet18',
    () => createModel('resnet18', { stem: 'cifar', numClasses: 10 }),
    [2, 3, 16, 16],
    10,
  ],
  ['mobilenet_v2', () => createModel('mobilenet_v2', { widthMult: 0.25 }), [2, 3, 32, 32], 1000],
  [
    'unet',
    () => createModel('unet', { inChannels: 1, numClasses: 2, baseWidth: 4, depth: 2 }),
    [1, 1, 16, 16],
    2,
  ],
];

/** Two SGD steps from a seeded model; the losses, then every gradient and state tensor. */
function train(make: () => Module, shape: number[], classes: number, scoped: boolean): number[][] {
  manualSeed(11);
  const model = make().train();
  const optimizer = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = randn(shape);
  const losses: number[] = [];
  for (let i = 0; i < 2; i++) {
    const step = () => {
      optimizer.zeroGrad();
      const out = model.forward(x);
      const target =
        out.ndim === 4
          ? randint(0, classes, [shape[0], ...out.shape.slice(2)])
          : randint(0, classes, [shape[0]]);
      const loss = crossEntropy(out, target);
      loss.backward();
      optimizer.step();
      // Inside the scope the step's activations and gradients are blocks of wasm memory.
      assert.equal(residentMemory().liveBlocks > 0, scoped);
      return loss.item();
    };
    losses.push(scoped ? tidy(step) : step());
  }
  const tensors: Tensor[] = [
    ...model.parameters().map((p) => p.grad!),
    ...Object.values(model.stateDict()),
  ];
  return [losses, ...tensors.map((t) => Array.from(t.data))];
}

describe('zoo models train the same inside a memory scope as outside', () => {
  for (const [name, make, shape, classes] of cases) {
    it(name, () => {
      const outside = train(make, shape, classes, false);
      const inside = train(make, shape, classes, true);
      assert.deepEqual(inside, outside);
      assert.equal(residentMemory().liveBlocks, 0);
    });
  }
});
