import * as F from '../../src/index.js';
import { randn, tensor, type Tensor } from '../../src/index.js';
import type { OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });
/** Values kept away from 0 (for log, sqrt, division, abs kinks). */
const positive = (shape: number[]) => r(shape).abs().add(0.5);

function binarySamples(call: (a: Tensor, b: Tensor) => Tensor, b = r): () => Sample[] {
  return () => [
    { label: 'same shape', inputs: [r([2, 3]), b([2, 3])], call },
    { label: 'broadcast [2,1,4] with [3,1]', inputs: [r([2, 1, 4]), b([3, 1])], call },
    { label: 'scalar tensor', inputs: [r([3]), b([])], call },
  ];
}

function unary(name: string, call: (x: Tensor) => Tensor, input = r): OpInfo {
  return { name, samples: () => [{ label: '[2,3,4]', inputs: [input([2, 3, 4])], call }] };
}

/** The reductions, each over several axis choices (adjacent, non-adjacent, all, keepdim). */
function reduction(
  name: string,
  call: (x: Tensor, dim?: number | number[], keepdim?: boolean) => Tensor,
): OpInfo {
  return {
    name,
    samples: () => [
      { label: 'all axes', inputs: [r([2, 3, 4])], call: (x) => call(x) },
      { label: 'dim 1', inputs: [r([2, 3, 4])], call: (x) => call(x, 1) },
      { label: 'dim -1 keepdim', inputs: [r([2, 3, 4])], call: (x) => call(x, -1, true) },
      { label: 'dims [0, 2]', inputs: [r([2, 3, 4])], call: (x) => call(x, [0, 2]) },
    ],
    errors: () => [
      {
        label: 'axis out of range',
        call: () => call(r([2, 3]), 2),
        message: /axis 2 is out of range/,
      },
      {
        label: 'a dim named twice',
        call: () => call(r([2, 3]), [1, -1]),
        message: /dims \[1, -1\] name a dim twice/,
      },
    ],
  };
}

/** Bad calls of the shape ops that PyTorch also refuses. */
export const shapeErrors: OpInfo = {
  name: 'shape op errors',
  samples: () => [],
  errors: () => [
    {
      label: 'reshape with an ambiguous -1',
      call: () => F.reshape(F.zeros([0, 3]), [-1, 0]),
      message: /reshape: the -1 in \[-1,0\] is ambiguous/,
    },
    {
      label: 'slice with a fractional start',
      call: () => F.slice(r([5]), 0, 1.5, 4),
      message: /slice: start and end must be integers, got 1.5 and 4/,
    },
    {
      label: 'split with a negative size',
      call: () => F.split(r([4]), [5, -1]),
      message: /split: sizes \[5, -1\] must be non-negative integers adding up to dim 0 of size 4/,
    },
    {
      label: 'replicate padding of an empty dim',
      call: () => F.pad(F.zeros([2, 0]), [1, 1], { mode: 'replicate' }),
      message: /pad: replicate padding needs a non-empty dim 1, got shape \[2,0\]/,
    },
  ],
};

export const coreOps: OpInfo[] = [
  shapeErrors,
  {
    name: 'add',
    samples: binarySamples(F.add),
    errors: () => [
      {
        label: 'shapes do not broadcast',
        call: () => F.add(r([2, 3]), r([4])),
        message: /add: shapes \[2,3\] and \[4\] cannot be broadcast/,
      },
    ],
  },
  { name: 'sub', samples: binarySamples(F.sub) },
  { name: 'mul', samples: binarySamples(F.mul) },
  { name: 'div', samples: binarySamples(F.div, positive) },
  { name: 'pow', samples: binarySamples((a, b) => F.pow(F.add(F.abs(a), 0.5), b)) },
  { name: 'maximum', samples: binarySamples(F.maximum) },
  { name: 'minimum', samples: binarySamples(F.minimum) },
  {
    name: 'where',
    samples: () => [
      {
        label: 'broadcast cond',
        inputs: [r([2, 3]), r([3])],
        call: (a, b) => F.where(F.gt(a, 0), a, b),
      },
    ],
  },
  unary('neg', F.neg),
  unary('abs', F.abs, (s) => {
    const x = r(s);
    return F.add(x, F.mul(F.sign(x), 0.1));
  }),
  unary('exp', F.exp),
  unary('expm1', F.expm1),
  unary('log', F.log, positive),
  unary('log1p', F.log1p, positive),
  unary('sqrt', F.sqrt, positive),
  unary('reciprocal', F.reciprocal, positive),
  unary('sin', F.sin),
  unary('cos', F.cos),
  unary('tanh', F.tanh),
  unary('sigmoid', F.sigmoid),
  unary('erf', F.erf),
  unary('square', F.square),
  unary(
    'clamp',
    (x) => F.clamp(x, -0.5, 0.7),
    (s) => r(s).mul(3),
  ),
  reduction('sum', F.sum),
  reduction('mean', F.mean),
  reduction('max', F.max),
  reduction('min', F.min),
  reduction('logsumexp', F.logsumexp),
  reduction('var', (x, dim, keepdim) => F.variance(x, dim, { keepdim })),
  reduction('std', (x, dim, keepdim) => F.std(x, dim, { keepdim, correction: 0 })),
  {
    name: 'reshape',
    samples: () => [
      { label: '[2,3,4] → [4,-1]', inputs: [r([2, 3, 4])], call: (x) => F.reshape(x, [4, -1]) },
    ],
    errors: () => [
      {
        label: 'wrong size',
        call: () => F.reshape(r([2, 3]), [4, 2]),
        message: /reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,2\]/,
      },
    ],
  },
  {
    name: 'flatten',
    samples: () => [
      { label: 'dims 1..2', inputs: [r([2, 3, 4, 2])], call: (x) => F.flatten(x, 1, 2) },
    ],
  },
  {
    name: 'unsqueeze/squeeze',
    samples: () => [
      {
        label: 'round trip',
        inputs: [r([3, 1, 2])],
        call: (x) => F.unsqueeze(F.squeeze(x, 1), -1),
      },
    ],
  },
  {
    name: 'permute',
    samples: () => [
      { label: '[2,3,4] by [2,0,1]', inputs: [r([2, 3, 4])], call: (x) => F.permute(x, [2, 0, 1]) },
    ],
    errors: () => [
      {
        label: 'repeated dim',
        call: () => F.permute(r([2, 3]), [0, 0]),
        message: /permute: dims \[0, 0\] must name each/,
      },
    ],
  },
  {
    name: 'transpose',
    samples: () => [
      { label: 'dims 0, -1', inputs: [r([2, 3, 4])], call: (x) => F.transpose(x, 0, -1) },
    ],
  },
  {
    name: 'expand',
    samples: () => [
      { label: '[3,1] → [2,3,4]', inputs: [r([3, 1])], call: (x) => F.expand(x, [2, 3, 4]) },
    ],
    errors: () => [
      {
        label: 'non-1 dim grows',
        call: () => F.expand(r([3, 2]), [3, 4]),
        message: /expand: cannot expand \[3,2\] to \[3,4\]/,
      },
    ],
  },
  {
    name: 'slice',
    samples: () => [
      {
        label: 'negative start, step 2',
        inputs: [r([3, 7])],
        call: (x) => F.slice(x, 1, -6, undefined, 2),
      },
      { label: 'dim 0', inputs: [r([5, 2])], call: (x) => F.slice(x, 0, 1, 4) },
    ],
  },
  {
    name: 'select',
    samples: () => [
      { label: 'index -1 of dim 1', inputs: [r([2, 3, 2])], call: (x) => F.select(x, 1, -1) },
    ],
    errors: () => [
      {
        label: 'index out of range',
        call: () => F.select(r([2, 3]), 1, 3),
        message: /select: index 3 is out of range for dim 1 of size 3/,
      },
    ],
  },
  {
    name: 'indexSelect',
    samples: () => [
      {
        label: 'repeated indices',
        inputs: [r([4, 3])],
        call: (x) => F.indexSelect(x, 0, tensor([3, 0, 3], { dtype: 'int32' })),
      },
    ],
  },
  {
    name: 'concat',
    samples: () => [
      { label: 'dim 1', inputs: [r([2, 1, 3]), r([2, 4, 3])], call: (a, b) => F.concat([a, b], 1) },
    ],
    errors: () => [
      {
        label: 'mismatched dims',
        call: () => F.concat([r([2, 3]), r([3, 3])], 1),
        message: /concat: tensor 1 has shape \[3,3\] but tensor 0 has \[2,3\]/,
      },
    ],
  },
  {
    name: 'stack',
    samples: () => [
      { label: 'dim -1', inputs: [r([2, 3]), r([2, 3])], call: (a, b) => F.stack([a, b], -1) },
    ],
  },
  {
    name: 'split',
    samples: () => [
      { label: 'sizes [1, 3]', inputs: [r([4, 2])], call: (x) => F.mul(F.split(x, [1, 3])[1], 2) },
    ],
  },
  {
    name: 'pad',
    samples: () =>
      (['constant', 'reflect', 'replicate', 'circular'] as const)
        .map((mode) => ({
          label: `${mode} [1,2,2,1]`,
          inputs: [r([2, 2, 3, 4])],
          call: (x: Tensor) => F.pad(x, [1, 2, 2, 1], { mode, value: 0.5 }),
        }))
        .concat([
          {
            label: 'negative (crop)',
            inputs: [r([1, 5, 5])],
            call: (x: Tensor) => F.pad(x, [-1, 2, 0, -2]),
          },
        ]),
    errors: () => [
      {
        label: 'reflect pad too large',
        call: () => F.pad(r([1, 1, 3]), [3, 0], { mode: 'reflect' }),
        message: /pad: reflect padding \(3, 0\) must be at most 2/,
      },
    ],
  },
  {
    name: 'matmul',
    samples: () => [
      { label: '2-D', inputs: [r([3, 4]), r([4, 2])], call: F.matmul },
      { label: 'broadcast batch', inputs: [r([2, 1, 3, 4]), r([3, 4, 5])], call: F.matmul },
      { label: 'vector @ batch', inputs: [r([4]), r([2, 4, 3])], call: F.matmul },
      { label: 'batch @ vector', inputs: [r([2, 3, 4]), r([4])], call: F.matmul },
    ],
    errors: () => [
      {
        label: 'inner dims differ',
        call: () => F.matmul(r([2, 3]), r([4, 2])),
        message: /matmul: inner dimensions differ: \[2,3\] @ \[4,2\] \(3 vs 4\)/,
      },
    ],
  },
];
