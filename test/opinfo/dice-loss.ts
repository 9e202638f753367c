import * as F from '../../src/index.js';
import { rand, randn, tensor, type Reduction } from '../../src/index.js';
import type { OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });
const reductions: Reduction[] = ['none', 'sum', 'mean'];
const masks = (shape: number[], classes: number) => F.randint(0, classes, shape);

export const diceLossOps: OpInfo[] = [
  {
    name: 'diceLoss',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `multiclass class masks, reduction ${reduction}`,
        inputs: [r([2, 3, 3, 3]), masks([2, 3, 3], 3)],
        call: (x, t) => F.diceLoss(x, t, { reduction }),
      })),
      {
        label: 'multiclass with ignored pixels (255), smooth 0.5',
        inputs: [
          r([1, 3, 2, 3]),
          tensor([0, 255, 2, 1, 1, 255], { dtype: 'int32', shape: [1, 2, 3] }),
        ],
        call: (x, t) => F.diceLoss(x, t, { ignoreIndex: 255, smooth: 0.5, reduction: 'none' }),
      },
      {
        label: 'multiclass probability targets (differentiated too), 1-D pixels',
        inputs: [r([2, 4, 5]), F.softmax(r([2, 4, 5]), 1)],
        call: (x, t) => F.diceLoss(x, t),
      },
      {
        label: 'binary, one channel, soft masks (differentiated too)',
        inputs: [r([3, 1, 2, 2]), rand([3, 1, 2, 2], { dtype: 'float64' })],
        call: (x, t) => F.diceLoss(x, t, { mode: 'binary', reduction: 'none' }),
      },
      {
        label: 'binary, multi-label channels, smooth 0',
        inputs: [r([2, 3, 4]), rand([2, 3, 4]).gt(0.3).double()],
        call: (x, t) => F.diceLoss(x, t, { mode: 'binary', smooth: 0 }),
        check: { skip: [1] },
      },
    ],
    errors: () => [
      {
        label: 'binary mode with an integer mask',
        call: () =>
          F.diceLoss(randn([2, 1, 2, 2]), F.randint(0, 2, [2, 1, 2, 2]), { mode: 'binary' }),
        message:
          /diceLoss: a binary-mode target must be a float tensor of the logits' shape \[2,1,2,2\], got int32 \[2,1,2,2\] \(convert masks with .float\(\)\)/,
      },
      {
        label: 'class mask of the wrong size',
        call: () => F.diceLoss(randn([2, 3, 4, 4]), F.randint(0, 3, [2, 4, 3])),
        message:
          /diceLoss: target of shape \[2,4,3\] must have shape \[2,4,4\]: one class index per sample of logits \[2,3,4,4\]/,
      },
      {
        label: 'class out of range',
        call: () => F.diceLoss(randn([1, 2, 2]), tensor([[0, 2]], { dtype: 'int32' })),
        message: /diceLoss: target class 2 is out of range for 2 classes/,
      },
      {
        label: 'ignoreIndex with probability targets',
        call: () => F.diceLoss(randn([1, 2, 2]), rand([1, 2, 2]), { ignoreIndex: 255 }),
        message: /diceLoss: ignoreIndex \(255\) applies only to class-index targets/,
      },
      {
        label: 'unknown mode',
        call: () =>
          F.diceLoss(randn([1, 2, 2]), rand([1, 2, 2]), { mode: 'multilabel' as 'binary' }),
        message: /diceLoss: mode must be 'multiclass' or 'binary', got 'multilabel'/,
      },
      {
        label: 'negative smooth',
        call: () => F.diceLoss(randn([1, 2, 2]), rand([1, 2, 2]), { smooth: -1 }),
        message: /diceLoss: smooth must not be negative, got -1/,
      },
      {
        label: 'logits without a class dim',
        call: () => F.diceLoss(randn([4]), rand([4])),
        message: /diceLoss: logits must have shape \[N, C, d1, \.\.\.\], got \[4\]/,
      },
    ],
  },
];
