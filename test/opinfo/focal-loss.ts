import * as F from '../../src/index.js';
import { rand, randn, tensor, type Reduction } from '../../src/index.js';
import type { OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });
const reductions: Reduction[] = ['none', 'sum', 'mean'];
const int = (values: number[], shape = [values.length]) =>
  tensor(values, { dtype: 'int32', shape });
const binary = (shape: number[]) => rand(shape).gt(0.5).double();
const classWeights = (n: number) => rand([n], { dtype: 'float64' }).add(0.5);

export const focalLossOps: OpInfo[] = [
  {
    name: 'sigmoidFocalLoss',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `0/1 targets, defaults, reduction ${reduction}`,
        inputs: [r([3, 4]).mul(2), binary([3, 4])],
        call: (x, t) => F.sigmoidFocalLoss(x, t, { reduction }),
        check: { skip: [1] },
      })),
      {
        label: 'soft targets (differentiated too), gamma 1.5, alpha 0.7',
        inputs: [r([3, 4]).mul(2), rand([3, 4], { dtype: 'float64' })],
        call: (x, t) => F.sigmoidFocalLoss(x, t, { gamma: 1.5, alpha: 0.7, reduction: 'sum' }),
      },
      {
        label: 'no alpha (negative), gamma 0: binary cross-entropy',
        inputs: [r([2, 3, 2]), binary([2, 3, 2])],
        call: (x, t) => F.sigmoidFocalLoss(x, t, { alpha: -1, gamma: 0, reduction: 'mean' }),
        check: { skip: [1] },
      },
    ],
    errors: () => [
      {
        label: 'targets of another shape',
        call: () => F.sigmoidFocalLoss(randn([4, 1]), randn([4])),
        message: /sigmoidFocalLoss: targets shape \[4\] must equal logits shape \[4,1\]/,
      },
      {
        label: 'integer targets',
        call: () => F.sigmoidFocalLoss(randn([2]), int([0, 1])),
        message: /sigmoidFocalLoss: targets must be a floating-point tensor, got int32/,
      },
      {
        label: 'negative gamma',
        call: () => F.sigmoidFocalLoss(randn([2]), rand([2]), { gamma: -1 }),
        message: /sigmoidFocalLoss: gamma must not be negative, got -1/,
      },
      {
        label: 'alpha above 1',
        call: () => F.sigmoidFocalLoss(randn([2]), rand([2]), { alpha: 1.5 }),
        message: /sigmoidFocalLoss: alpha must be in \[0, 1\] \(or negative for none\), got 1.5/,
      },
    ],
  },
  {
    name: 'focalLoss',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `gamma 2, reduction ${reduction}`,
        inputs: [r([5, 3]), int([0, 2, 1, 1, 0])],
        call: (x, t) => F.focalLoss(x, t, { reduction }),
      })),
      ...reductions.map((reduction): Sample => ({
        label: `alpha per class (differentiated), gamma 0.5, ignoreIndex, reduction ${reduction}`,
        inputs: [r([6, 4]), int([3, -100, 0, 2, 1, -100]), classWeights(4)],
        call: (x, t, alpha) => F.focalLoss(x, t, { alpha, gamma: 0.5, reduction }),
      })),
      {
        label: 'K-dimensional [N, C, H, W], ignoreIndex 1 (a real class)',
        inputs: [r([2, 3, 2, 2]), int([0, 1, 2, 2, 1, 0, 0, 2], [2, 2, 2])],
        call: (x, t) => F.focalLoss(x, t, { ignoreIndex: 1, gamma: 3 }),
      },
      {
        label: 'large logits (stability)',
        inputs: [r([3, 4]).mul(3).add(1000), int([0, 3, 1])],
        call: (x, t) => F.focalLoss(x, t),
      },
    ],
    errors: () => [
      {
        label: 'class out of range',
        call: () => F.focalLoss(randn([2, 3]), int([0, 3])),
        message:
          /focalLoss: target class 3 is out of range for 3 classes \(expected 0..2, or ignoreIndex -100\)/,
      },
      {
        label: 'float targets',
        call: () => F.focalLoss(randn([2, 3]), tensor([0, 1])),
        message: /focalLoss: target must hold class indices as an integer tensor, got float32/,
      },
      {
        label: 'targets of the wrong shape',
        call: () => F.focalLoss(randn([2, 3]), int([0, 1, 2])),
        message:
          /focalLoss: target of shape \[3\] must have shape \[2\]: one class index per sample of logits \[2,3\]/,
      },
      {
        label: 'unbatched logits',
        call: () => F.focalLoss(randn([3]), int([0], [])),
        message: /focalLoss: logits must have shape \[N, C, d1, \.\.\.\], got \[3\]/,
      },
      {
        label: 'alpha of the wrong length',
        call: () => F.focalLoss(randn([2, 3]), int([0, 1]), { alpha: rand([2]) }),
        message: /focalLoss: alpha must be a 1-D tensor of 3 class weights, got shape \[2\]/,
      },
      {
        label: 'negative gamma',
        call: () => F.focalLoss(randn([2, 3]), int([0, 1]), { gamma: -2 }),
        message: /focalLoss: gamma must not be negative, got -2/,
      },
    ],
  },
];
