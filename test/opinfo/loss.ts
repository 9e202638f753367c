import * as F from '../../src/index.js';
import { rand, randn, tensor, type Reduction, type Tensor } from '../../src/index.js';
import type { ErrorCase, OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });
const int = (values: number[], shape = [values.length]) =>
  tensor(values, { dtype: 'int32', shape });
const reductions: Reduction[] = ['none', 'sum', 'mean'];

/** A target whose difference from `input` keeps at least 0.01 away from each of `kinks`. */
function targetFor(input: Tensor, kinks: readonly number[], scale = 1): Tensor {
  const target = r([...input.shape]).mul(scale);
  for (let i = 0; i < target.size; i++) {
    for (const k of kinks) {
      const d = input.data[i] - target.data[i];
      if (Math.abs(d - k) < 0.01) target.data[i] += d < k ? 0.02 : -0.02;
    }
  }
  return target;
}

type PairCall = (x: Tensor, t: Tensor, reduction: Reduction) => Tensor;

/**
 * A loss of (input, target) of one shape, checked for each variant and reduction with gradients
 * for both; the differences input − target (scale·randn) stay away from `kinks`.
 */
function pairLoss(
  name: string,
  variants: { label: string; call: PairCall }[],
  {
    kinks = [],
    scale = 1,
    errors = [],
  }: { kinks?: number[]; scale?: number; errors?: ErrorCase[] } = {},
): OpInfo {
  const plain = variants[0].call;
  return {
    name,
    samples: () =>
      variants.flatMap(({ label, call }) =>
        reductions.map((reduction): Sample => {
          const input = r([3, 4]).mul(scale);
          return {
            label: `${label}, reduction ${reduction}`,
            inputs: [input, targetFor(input, kinks, scale)],
            call: (x, t) => call(x, t, reduction),
          };
        }),
      ),
    errors: () => [
      {
        label: 'target of another shape',
        call: () => plain(r([4, 1]), r([4]), 'mean'),
        message: new RegExp(`${name}: target shape \\[4\\] must equal input shape \\[4,1\\]`),
      },
      {
        label: 'integer target',
        call: () => plain(r([3]), int([0, 1, 1]), 'mean'),
        message: new RegExp(`${name}: target must be a floating-point tensor, got int32`),
      },
      {
        label: 'unknown reduction',
        call: () => plain(r([3]), r([3]), 'avg' as Reduction),
        message: new RegExp(`${name}: reduction must be 'mean', 'sum' or 'none', got 'avg'`),
      },
      ...errors,
    ],
  };
}

/**
 * Probabilities in [0.1, 0.9]: nearer 0 or 1 the third derivative of ln p grows as 1/p³ and the
 * central difference itself becomes inexact.
 */
const probabilities = (shape: number[]) => rand(shape, { dtype: 'float64' }).mul(0.8).add(0.1);

/** Class indices below `classes`, shaped `shape`; every `ignore.every`-th is `ignore.index`. */
function classTargets(shape: number[], classes: number, ignore?: { index: number; every: number }) {
  const t = F.randint(0, classes, shape);
  if (ignore) for (let i = 0; i < t.size; i += ignore.every) t.data[i] = ignore.index;
  return t;
}

const positiveWeights = (n: number) => rand([n], { dtype: 'float64' }).add(0.5);

export const lossOps: OpInfo[] = [
  pairLoss('mseLoss', [
    { label: 'plain', call: (x, t, reduction) => F.mseLoss(x, t, { reduction }) },
  ]),
  pairLoss(
    'l1Loss',
    [{ label: 'plain', call: (x, t, reduction) => F.l1Loss(x, t, { reduction }) }],
    { kinks: [0] },
  ),
  pairLoss(
    'smoothL1Loss',
    [
      { label: 'beta 1', call: (x, t, reduction) => F.smoothL1Loss(x, t, { reduction }) },
      {
        label: 'beta 0.5',
        call: (x, t, reduction) => F.smoothL1Loss(x, t, { reduction, beta: 0.5 }),
      },
      {
        label: 'beta 0 (L1)',
        call: (x, t, reduction) => F.smoothL1Loss(x, t, { reduction, beta: 0 }),
      },
    ],
    {
      kinks: [-1, -0.5, 0, 0.5, 1],
      errors: [
        {
          label: 'negative beta',
          call: () => F.smoothL1Loss(r([3]), r([3]), { beta: -1 }),
          message: /smoothL1Loss: beta must not be negative, got -1/,
        },
      ],
    },
  ),
  pairLoss(
    'huberLoss',
    [
      { label: 'delta 1', call: (x, t, reduction) => F.huberLoss(x, t, { reduction }) },
      {
        label: 'delta 2',
        call: (x, t, reduction) => F.huberLoss(x, t, { reduction, delta: 2 }),
      },
    ],
    {
      kinks: [-2, -1, 1, 2],
      scale: 2,
      errors: [
        {
          label: 'delta 0',
          call: () => F.huberLoss(r([3]), r([3]), { delta: 0 }),
          message: /huberLoss: delta must be positive, got 0/,
        },
      ],
    },
  ),
  {
    name: 'binaryCrossEntropy',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `soft targets, reduction ${reduction}`,
        inputs: [probabilities([3, 4]), rand([3, 4], { dtype: 'float64' })],
        call: (p, t) => F.binaryCrossEntropy(p, t, { reduction }),
      })),
      {
        label: 'weight broadcast over rows',
        inputs: [probabilities([3, 4]), rand([3, 4], { dtype: 'float64' }), positiveWeights(4)],
        call: (p, t, weight) => F.binaryCrossEntropy(p, t, { weight }),
      },
    ],
    errors: () => [
      {
        label: 'input outside [0, 1]',
        call: () => F.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([0, 1])),
        message:
          /binaryCrossEntropy: input must hold probabilities in \[0, 1\], found 1.5 at element 1/,
      },
      {
        label: 'weight that does not broadcast',
        call: () => F.binaryCrossEntropy(rand([3, 4]), rand([3, 4]), { weight: rand([3]) }),
        message:
          /binaryCrossEntropy: weight of shape \[3\] does not broadcast to the input shape \[3,4\]/,
      },
      {
        label: 'integer target',
        call: () => F.binaryCrossEntropy(rand([2]), int([0, 1])),
        message: /binaryCrossEntropy: target must be a floating-point tensor, got int32/,
      },
    ],
  },
  {
    name: 'binaryCrossEntropyWithLogits',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `reduction ${reduction}`,
        inputs: [r([3, 4]).mul(3), rand([3, 4], { dtype: 'float64' })],
        call: (x, t) => F.binaryCrossEntropyWithLogits(x, t, { reduction }),
      })),
      {
        label: 'weight and posWeight per class, sum',
        inputs: [
          r([3, 4]).mul(3),
          rand([3, 4], { dtype: 'float64' }),
          positiveWeights(4),
          positiveWeights(4),
        ],
        call: (x, t, weight, posWeight) =>
          F.binaryCrossEntropyWithLogits(x, t, { weight, posWeight, reduction: 'sum' }),
      },
      {
        // ln(1 + e^800) overflows unless computed stably.
        label: 'logits of magnitude 800',
        inputs: [tensor([-800, -1, 2, 800], { dtype: 'float64' }), rand([4], { dtype: 'float64' })],
        call: (x, t) => F.binaryCrossEntropyWithLogits(x, t),
      },
    ],
    errors: () => [
      {
        label: 'posWeight that does not broadcast',
        call: () =>
          F.binaryCrossEntropyWithLogits(randn([3, 4]), rand([3, 4]), { posWeight: rand([3]) }),
        message:
          /binaryCrossEntropyWithLogits: posWeight of shape \[3\] does not broadcast to the input shape \[3,4\]/,
      },
    ],
  },
  {
    name: 'crossEntropy',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `class indices, reduction ${reduction}`,
        inputs: [r([5, 3]), classTargets([5], 3)],
        call: (x, t) => F.crossEntropy(x, t, { reduction }),
        check: { skip: [1] },
      })),
      ...reductions.map((reduction): Sample => ({
        label: `class weights and ignoreIndex 1 (a real class), reduction ${reduction}`,
        inputs: [r([6, 3]), int([0, 1, 2, 2, 1, 0]), positiveWeights(3)],
        call: (x, t, weight) => F.crossEntropy(x, t, { weight, ignoreIndex: 1, reduction }),
        check: { skip: [1] },
      })),
      ...reductions.map((reduction): Sample => ({
        label: `label smoothing 0.2 with weights and ignored targets, reduction ${reduction}`,
        inputs: [r([6, 4]), classTargets([6], 4, { index: -100, every: 4 }), positiveWeights(4)],
        call: (x, t, weight) => F.crossEntropy(x, t, { weight, labelSmoothing: 0.2, reduction }),
        check: { skip: [1] },
      })),
      {
        label: 'label smoothing 0.1 with ignored targets, no weights',
        inputs: [r([6, 4]), classTargets([6], 4, { index: -100, every: 4 })],
        call: (x, t) => F.crossEntropy(x, t, { labelSmoothing: 0.1 }),
        check: { skip: [1] },
      },
      {
        label: 'K-dimensional logits [N, C, d1, d2]',
        inputs: [r([2, 3, 2, 2]), classTargets([2, 2, 2], 3)],
        call: (x, t) => F.crossEntropy(x, t),
        check: { skip: [1] },
      },
      {
        label: 'K-dimensional, weights, smoothing, reduction none',
        inputs: [r([2, 3, 2, 2]), classTargets([2, 2, 2], 3), positiveWeights(3)],
        call: (x, t, weight) =>
          F.crossEntropy(x, t, { weight, labelSmoothing: 0.3, reduction: 'none' }),
        check: { skip: [1] },
      },
      {
        label: 'unbatched [C] logits, reduction none',
        inputs: [r([4]), int([2], [])],
        call: (x, t) => F.crossEntropy(x, t, { reduction: 'none' }),
        check: { skip: [1] },
      },
      ...reductions.map((reduction): Sample => ({
        label: `probability targets, reduction ${reduction}`,
        inputs: [r([4, 3]), F.softmax(r([4, 3]), 1)],
        call: (x, p) => F.crossEntropy(x, p, { reduction }),
      })),
      {
        label: 'probability targets with weights and label smoothing 0.2',
        inputs: [r([4, 3]), F.softmax(r([4, 3]), 1), positiveWeights(3)],
        call: (x, p, weight) => F.crossEntropy(x, p, { weight, labelSmoothing: 0.2 }),
      },
      {
        label: 'K-dimensional probability targets',
        inputs: [r([2, 3, 2, 2]), F.softmax(r([2, 3, 2, 2]), 1)],
        call: (x, p) => F.crossEntropy(x, p),
      },
      {
        label: 'large logits (stability)',
        inputs: [r([3, 4]).mul(3).add(1000), classTargets([3], 4)],
        call: (x, t) => F.crossEntropy(x, t),
        check: { skip: [1] },
      },
    ],
    errors: () => [
      {
        label: 'targets of the wrong length',
        call: () => F.crossEntropy(randn([4, 3]), int([0, 1, 2, 0, 1])),
        message:
          /crossEntropy: target of shape \[5\] must have shape \[4\]: one class index per sample of input \[4,3\]/,
      },
      {
        label: 'class out of range',
        call: () => F.crossEntropy(randn([4, 3]), int([0, 1, 3, 2])),
        message:
          /crossEntropy: target class 3 is out of range for 3 classes \(expected 0..2, or ignoreIndex -100\)/,
      },
      {
        label: 'negative class that is not ignoreIndex',
        call: () => F.crossEntropy(randn([2, 3]), int([-1, 0])),
        message: /crossEntropy: target class -1 is out of range for 3 classes/,
      },
      {
        label: 'float targets where class indices are expected',
        call: () => F.crossEntropy(randn([4, 3]), tensor([0, 1, 2, 0])),
        message:
          /crossEntropy: a floating-point target holds class probabilities and must have the logits' shape \[4,3\], got \[4\] \(for class indices convert it with .int\(\)\)/,
      },
      {
        label: 'integer targets of the logits shape (probabilities expected)',
        call: () => F.crossEntropy(randn([2, 3]), int([1, 0, 0, 0, 1, 0], [2, 3])),
        message:
          /crossEntropy: target has the logits' shape \[2,3\] but is int32: class probabilities must be floating-point/,
      },
      {
        label: 'weight of the wrong length',
        call: () => F.crossEntropy(randn([4, 3]), int([0, 1, 2, 0]), { weight: rand([4]) }),
        message: /crossEntropy: weight must be a 1-D tensor of 3 class weights, got shape \[4\]/,
      },
      {
        label: 'integer logits',
        call: () => F.crossEntropy(int([1, 2, 3, 4], [2, 2]), int([0, 1])),
        message: /crossEntropy: logits must be a floating-point tensor, got int32/,
      },
      {
        label: 'label smoothing above 1',
        call: () => F.crossEntropy(randn([2, 3]), int([0, 1]), { labelSmoothing: 1.5 }),
        message: /crossEntropy: labelSmoothing must be in \[0, 1\], got 1.5/,
      },
      {
        label: 'ignoreIndex with probability targets',
        call: () => F.crossEntropy(randn([2, 3]), rand([2, 3]), { ignoreIndex: 1 }),
        message: /crossEntropy: ignoreIndex \(1\) applies only to class-index targets/,
      },
      {
        label: 'scalar logits',
        call: () => F.crossEntropy(tensor(1), int([0], [])),
        message: /crossEntropy: logits must have shape \[N, C, d1, \.\.\.\] or \[C\], got \[\]/,
      },
    ],
  },
  {
    name: 'nllLoss',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `class weights and ignored targets, reduction ${reduction}`,
        inputs: [r([6, 4]), classTargets([6], 4, { index: -100, every: 4 }), positiveWeights(4)],
        call: (x, t, weight) => F.nllLoss(x, t, { weight, reduction }),
        check: { skip: [1] },
      })),
      {
        label: 'K-dimensional input, uint8 targets',
        inputs: [r([2, 3, 4]), tensor([0, 2, 1, 1, 2, 0, 0, 1], { dtype: 'uint8', shape: [2, 4] })],
        call: (x, t) => F.nllLoss(x, t),
        check: { skip: [1] },
      },
    ],
    errors: () => [
      {
        label: 'float targets',
        call: () => F.nllLoss(randn([2, 3]), tensor([0, 1])),
        message: /nllLoss: target must hold class indices as an integer tensor, got float32/,
      },
      {
        label: 'class out of range',
        call: () => F.nllLoss(randn([2, 3]), int([0, 7])),
        message: /nllLoss: target class 7 is out of range for 3 classes/,
      },
    ],
  },
  {
    name: 'gather',
    samples: () => [
      {
        label: 'dim 1, repeated indices',
        inputs: [r([3, 4])],
        call: (x) => F.gather(x, 1, int([0, 0, 3, 2, 1, 2], [3, 2])),
      },
      {
        label: 'dim 0, index smaller than x in dim 1',
        inputs: [r([3, 4, 2])],
        call: (x) => F.gather(x, 0, int([2, 0, 1, 1, 0, 2], [2, 3, 1])),
      },
    ],
    errors: () => [
      {
        label: 'index out of range',
        call: () => F.gather(randn([2, 3]), 1, int([0, 3], [2, 1])),
        message: /gather: index 3 is out of range for dim 1 of size 3 \(input \[2,3\]\)/,
      },
      {
        label: 'index larger than x outside dim',
        call: () => F.gather(randn([2, 3]), 1, int([0, 1, 2], [3, 1])),
        message:
          /gather: index of shape \[3,1\] must have the 2 dims of input \[2,3\] and be no larger outside dim 1/,
      },
      {
        label: 'float index',
        call: () => F.gather(randn([2, 3]), 1, tensor([[0], [1]])),
        message: /gather: index must be an integer tensor, got float32/,
      },
    ],
  },
];
