import * as F from '../../src/index.js';
import { randn, tensor, type Reduction } from '../../src/index.js';
import type { OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });
const reductions: Reduction[] = ['none', 'sum', 'mean'];
const labels = (values: number[]) => tensor(values, { dtype: 'int32' });

export const embeddingLossOps: OpInfo[] = [
  {
    name: 'pairwiseDistance',
    samples: () => [
      ...[1, 2, 3, 0.5, Infinity].map((p): Sample => ({
        label: `p ${p}`,
        inputs: [r([4, 5]), r([4, 5])],
        call: (a, b) => F.pairwiseDistance(a, b, { p }),
      })),
      {
        label: 'keepdim, broadcast [3, 1, 4] with [2, 4]',
        inputs: [r([3, 1, 4]), r([2, 4])],
        call: (a, b) => F.pairwiseDistance(a, b, { keepdim: true }),
      },
      {
        // |x| is not differentiable at 0, but its central difference there is 0, as PyTorch's rule.
        label: 'zero distance with eps 0: gradient 0',
        inputs: [tensor([[1, 2, 3]], { dtype: 'float64' })],
        call: (a) => F.pairwiseDistance(a, tensor([[1, 2, 3]], { dtype: 'float64' }), { eps: 0 }),
      },
    ],
    errors: () => [
      {
        label: 'p 0',
        call: () => F.pairwiseDistance(randn([2, 3]), randn([2, 3]), { p: 0 }),
        message: /pairwiseDistance: p \(the norm degree\) must be positive or Infinity, got 0/,
      },
      {
        label: 'shapes that do not broadcast',
        call: () => F.pairwiseDistance(randn([2, 3]), randn([2, 4])),
        message: /pairwiseDistance: shapes \[2,3\] and \[2,4\] cannot be broadcast together/,
      },
      {
        label: 'scalar input',
        call: () => F.pairwiseDistance(tensor(1), randn([3])),
        message:
          /pairwiseDistance: x1 and x2 need at least one dim \(vectors\), got shapes \[\] and \[3\]/,
      },
      {
        label: 'integer input',
        call: () => F.pairwiseDistance(labels([1, 2]), randn([2])),
        message: /pairwiseDistance: x1 must be a floating-point tensor, got int32/,
      },
    ],
  },
  {
    name: 'cosineSimilarity',
    samples: () => [
      {
        label: 'dim 1 (default)',
        inputs: [r([4, 5]), r([4, 5])],
        call: (a, b) => F.cosineSimilarity(a, b),
      },
      {
        label: 'dim -1 of [2, 3, 4], eps 1e-6',
        inputs: [r([2, 3, 4]), r([2, 3, 4])],
        call: (a, b) => F.cosineSimilarity(a, b, { dim: -1, eps: 1e-6 }),
      },
      {
        label: 'broadcast [3, 1] with [3, 4] (norms after broadcasting)',
        inputs: [r([3, 1]), r([3, 4])],
        call: (a, b) => F.cosineSimilarity(a, b),
      },
      {
        label: 'one vector against a batch along dim 0',
        inputs: [r([5]), r([3, 5])],
        call: (a, b) => F.cosineSimilarity(a, b, { dim: -1 }),
      },
    ],
    errors: () => [
      {
        label: 'dim out of range',
        call: () => F.cosineSimilarity(randn([2, 3]), randn([2, 3]), { dim: 2 }),
        message: /cosineSimilarity: axis 2 is out of range for a tensor with 2 dimensions/,
      },
      {
        label: 'shapes that do not broadcast',
        call: () => F.cosineSimilarity(randn([2, 3]), randn([3, 3])),
        message: /cosineSimilarity: shapes \[2,3\] and \[3,3\] cannot be broadcast together/,
      },
    ],
  },
  {
    name: 'tripletMarginLoss',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `reduction ${reduction}`,
        inputs: [r([6, 4]), r([6, 4]), r([6, 4])],
        call: (a, p, n) => F.tripletMarginLoss(a, p, n, { reduction }),
      })),
      {
        label: 'p 1, swap, margin 2, sum',
        inputs: [r([6, 4]), r([6, 4]), r([6, 4])],
        call: (a, p, n) =>
          F.tripletMarginLoss(a, p, n, { p: 1, swap: true, margin: 2, reduction: 'sum' }),
      },
      {
        label: 'p Infinity, swap, none',
        inputs: [r([6, 4]), r([6, 4]), r([6, 4])],
        call: (a, p, n) =>
          F.tripletMarginLoss(a, p, n, { p: Infinity, swap: true, reduction: 'none' }),
      },
      {
        label: 'one triplet [D]',
        inputs: [r([5]), r([5]), r([5])],
        call: (a, p, n) => F.tripletMarginLoss(a, p, n, { margin: 3 }),
      },
      {
        label: 'one negative [1, D] for every anchor',
        inputs: [r([4, 3]), r([4, 3]), r([1, 3])],
        call: (a, p, n) => F.tripletMarginLoss(a, p, n, { margin: 2, reduction: 'none' }),
      },
    ],
    errors: () => [
      {
        label: 'different numbers of dims',
        call: () => F.tripletMarginLoss(randn([2, 3]), randn([3]), randn([2, 3])),
        message:
          /tripletMarginLoss: anchor, positive and negative must have the same number of dims \(\[N, D\] or \[D\]\), got shapes \[2,3\], \[3\] and \[2,3\]/,
      },
      {
        label: 'shapes that do not broadcast',
        call: () => F.tripletMarginLoss(randn([2, 3]), randn([2, 3]), randn([3, 3])),
        message: /tripletMarginLoss: shapes \[2,3\] and \[3,3\] cannot be broadcast together/,
      },
      {
        label: 'negative p',
        call: () => F.tripletMarginLoss(randn([2, 3]), randn([2, 3]), randn([2, 3]), { p: -1 }),
        message: /tripletMarginLoss: p \(the norm degree\) must be positive or Infinity, got -1/,
      },
      {
        label: 'unknown reduction',
        call: () =>
          F.tripletMarginLoss(randn([2]), randn([2]), randn([2]), {
            reduction: 'avg' as Reduction,
          }),
        message: /tripletMarginLoss: reduction must be 'mean', 'sum' or 'none', got 'avg'/,
      },
      {
        label: 'integer negative',
        call: () => F.tripletMarginLoss(randn([2]), randn([2]), labels([1, 2])),
        message: /tripletMarginLoss: negative must be a floating-point tensor, got int32/,
      },
    ],
  },
  {
    name: 'cosineEmbeddingLoss',
    samples: () => [
      ...reductions.map((reduction): Sample => ({
        label: `margin 0, reduction ${reduction}`,
        inputs: [r([6, 4]), r([6, 4]), labels([1, -1, -1, 1, -1, 1])],
        call: (a, b, y) => F.cosineEmbeddingLoss(a, b, y, { reduction }),
      })),
      {
        label: 'margin -0.5, float labels, x2 broadcast from [1, D]',
        inputs: [r([5, 3]), r([1, 3]), tensor([-1, -1, 1, -1, 1], { dtype: 'float64' })],
        call: (a, b, y) => F.cosineEmbeddingLoss(a, b, y, { margin: -0.5, reduction: 'sum' }),
        check: { skip: [2] },
      },
      {
        label: 'one pair [D] with y []',
        inputs: [r([4]), r([4]), tensor(1, { dtype: 'int32' })],
        call: (a, b, y) => F.cosineEmbeddingLoss(a, b, y),
      },
    ],
    errors: () => [
      {
        label: 'label 0',
        call: () => F.cosineEmbeddingLoss(randn([3, 2]), randn([3, 2]), labels([1, 0, -1])),
        message:
          /cosineEmbeddingLoss: y must hold 1 \(similar\) or -1 \(dissimilar\), found 0 at element 1/,
      },
      {
        label: 'y of the wrong length',
        call: () => F.cosineEmbeddingLoss(randn([3, 2]), randn([3, 2]), labels([1, -1])),
        message: /cosineEmbeddingLoss: y of shape \[2\] must hold one label per pair: shape \[3\]/,
      },
      {
        label: '1-D y with 1-D inputs',
        call: () => F.cosineEmbeddingLoss(randn([3]), randn([3]), labels([1])),
        message:
          /cosineEmbeddingLoss: expected x1 and x2 of shape \[N, D\] with y \[N\], or \[D\] with y \[\], got \[3\], \[3\] and y \[1\]/,
      },
    ],
  },
];
