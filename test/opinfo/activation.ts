import * as F from '../../src/index.js';
import { randn, tensor, type Tensor } from '../../src/index.js';
import type { ErrorCase, OpInfo, Sample } from './types.js';

/** Gradients are checked only where the function is smooth: this far from every kink. */
const MARGIN = 0.01;

/**
 * float64 samples scale·randn + shift, each moved at least MARGIN away from `kinks` (the points
 * where the op's derivative jumps), so central differences never straddle one.
 */
function smooth(kinks: readonly number[] = [], scale = 1, shift = 0) {
  return (shape: number[]): Tensor => {
    const x = randn(shape, { dtype: 'float64' }).mul(scale).add(shift);
    for (let i = 0; i < x.size; i++) {
      for (const k of kinks) {
        if (Math.abs(x.data[i] - k) < MARGIN) x.data[i] = k + (x.data[i] < k ? -1 : 1) * 2 * MARGIN;
      }
    }
    return x;
  };
}

const intInput = () =>
  tensor(
    [
      [1, -2],
      [3, 0],
    ],
    { dtype: 'int32' },
  );

/** An elementwise activation: samples for each option set, and the integer-input error. */
function activation(
  name: string,
  variants: { label: string; call: (x: Tensor) => Tensor; input: (shape: number[]) => Tensor }[],
  errors: ErrorCase[] = [],
): OpInfo {
  return {
    name,
    samples: () =>
      variants.map(({ label, call, input }): Sample => ({
        label,
        inputs: [input([2, 3, 4])],
        call,
      })),
    errors: () => [
      {
        label: 'integer input',
        call: () => variants[0].call(intInput()),
        message: new RegExp(`${name}: input must be a floating-point tensor, got int32`),
      },
      ...errors,
    ],
  };
}

const wide = smooth([], 3);

/** Inputs whose exponential overflows even float64 (e^750 = ∞): stable formulas must avoid it. */
const extreme = () => tensor([-1500, -750, -2.5, 0.5, 750, 1500], { dtype: 'float64' });

export const activationOps: OpInfo[] = [
  activation('relu', [
    { label: 'randn', call: F.relu, input: smooth([0]) },
    { label: 'method', call: (x) => x.relu(), input: smooth([0]) },
  ]),
  activation('relu6', [{ label: '4·randn + 2', call: F.relu6, input: smooth([0, 6], 4, 2) }]),
  activation('leakyRelu', [
    { label: 'default slope', call: (x) => F.leakyRelu(x), input: smooth([0]) },
    {
      label: 'negativeSlope 0.2',
      call: (x) => F.leakyRelu(x, { negativeSlope: 0.2 }),
      input: smooth([0]),
    },
  ]),
  {
    name: 'prelu',
    samples: () => [
      {
        label: 'one slope per channel',
        inputs: [smooth([0])([2, 3, 4]), randn([3], { dtype: 'float64' })],
        call: F.prelu,
      },
      {
        label: 'one shared slope, 4-D',
        inputs: [smooth([0])([2, 3, 2, 2]), randn([1], { dtype: 'float64' })],
        call: F.prelu,
      },
      {
        label: '1-D input (no channel dim)',
        inputs: [smooth([0])([5]), randn([1], { dtype: 'float64' })],
        call: F.prelu,
      },
    ],
    errors: () => [
      {
        label: 'weight of the wrong length',
        call: () => F.prelu(randn([2, 3, 4]), randn([4])),
        message:
          /prelu: weight must be a 1-D tensor of 1 or 3 slopes \(input \[2,3,4\] has 3 channels\), got shape \[4\]/,
      },
      {
        label: 'integer weight',
        call: () => F.prelu(randn([2, 3]), tensor([1, 2, 3], { dtype: 'int32' })),
        message: /prelu: weight must be a floating-point tensor, got int32/,
      },
    ],
  },
  activation('elu', [
    { label: 'default alpha', call: (x) => F.elu(x), input: wide },
    { label: 'alpha 0.5', call: (x) => F.elu(x, { alpha: 0.5 }), input: smooth([0], 3) },
    {
      label: 'large inputs (the unused exponential must not overflow)',
      call: (x) => F.elu(x),
      input: extreme,
    },
  ]),
  activation('selu', [{ label: '3·randn', call: F.selu, input: smooth([0], 3) }]),
  activation(
    'celu',
    [
      { label: 'default alpha', call: (x) => F.celu(x), input: wide },
      { label: 'alpha 2', call: (x) => F.celu(x, { alpha: 2 }), input: smooth([0], 3) },
    ],
    [
      {
        label: 'alpha 0',
        call: () => F.celu(randn([3]), { alpha: 0 }),
        message: /celu: alpha must not be 0/,
      },
    ],
  ),
  activation(
    'gelu',
    [
      { label: 'exact (erf)', call: (x) => F.gelu(x), input: wide },
      { label: "approximate 'tanh'", call: (x) => F.gelu(x, { approximate: 'tanh' }), input: wide },
    ],
    [
      {
        label: 'unknown approximation',
        call: () => F.gelu(randn([3]), { approximate: 'fast' as 'tanh' }),
        message: /gelu: approximate must be 'none' or 'tanh', got 'fast'/,
      },
    ],
  ),
  activation('silu', [{ label: '3·randn', call: F.silu, input: wide }]),
  activation('mish', [
    { label: '3·randn', call: F.mish, input: wide },
    { label: 'beyond the softplus threshold', call: F.mish, input: smooth([20], 30) },
  ]),
  activation('hardswish', [{ label: '3·randn', call: F.hardswish, input: smooth([-3, 3], 3) }]),
  activation('hardsigmoid', [{ label: '3·randn', call: F.hardsigmoid, input: smooth([-3, 3], 3) }]),
  activation(
    'hardtanh',
    [
      { label: 'default bounds', call: (x) => F.hardtanh(x), input: smooth([-1, 1], 2) },
      {
        label: 'minVal -0.5, maxVal 2',
        call: (x) => F.hardtanh(x, { minVal: -0.5, maxVal: 2 }),
        input: smooth([-0.5, 2], 2),
      },
    ],
    [
      {
        label: 'minVal above maxVal',
        call: () => F.hardtanh(randn([3]), { minVal: 1, maxVal: 0 }),
        message: /hardtanh: minVal must not exceed maxVal, got minVal=1 maxVal=0/,
      },
    ],
  ),
  activation(
    'softplus',
    [
      { label: 'defaults', call: (x) => F.softplus(x), input: wide },
      {
        label: 'beta 2, threshold 5 (linear above x = 2.5)',
        call: (x) => F.softplus(x, { beta: 2, threshold: 5 }),
        input: smooth([2.5], 3),
      },
      {
        label: 'beta -1',
        call: (x) => F.softplus(x, { beta: -1 }),
        input: wide,
      },
      {
        label: 'large magnitudes (no overflow)',
        call: (x) => F.softplus(x, { threshold: 1000 }),
        input: extreme,
      },
    ],
    [
      {
        label: 'beta 0',
        call: () => F.softplus(randn([3]), { beta: 0 }),
        message: /softplus: beta must not be 0/,
      },
    ],
  ),
  activation('softsign', [{ label: '3·randn', call: F.softsign, input: wide }]),
  activation('logSigmoid', [
    { label: '3·randn', call: F.logSigmoid, input: wide },
    {
      label: 'large magnitudes (no overflow)',
      call: F.logSigmoid,
      input: extreme,
    },
  ]),
  ...(['softmax', 'logSoftmax'] as const).map((name): OpInfo => ({
    name,
    samples: () => [
      { label: 'dim 1', inputs: [wide([2, 3, 4])], call: (x) => F[name](x, 1) },
      { label: 'default dim (last)', inputs: [wide([2, 3, 4])], call: (x) => F[name](x) },
      { label: 'dim 0 of a vector', inputs: [wide([5])], call: (x) => F[name](x, 0) },
      { label: '0-d tensor', inputs: [wide([])], call: (x) => F[name](x) },
      { label: 'method, dim -2', inputs: [wide([2, 3, 4])], call: (x) => x[name](-2) },
      {
        // exp(1000) overflows: only a max-subtracting implementation passes.
        label: 'logits near 1000 (stability)',
        inputs: [smooth([], 3, 1000)([3, 4])],
        call: (x) => F[name](x, 1),
      },
    ],
    errors: () => [
      {
        label: 'dim out of range',
        call: () => F[name](randn([2, 3]), 2),
        message: new RegExp(`${name}: axis 2 is out of range for a tensor with 2 dimensions`),
      },
      {
        label: 'integer input',
        call: () => F[name](intInput(), 1),
        message: new RegExp(`${name}: input must be a floating-point tensor, got int32`),
      },
    ],
  })),
];
