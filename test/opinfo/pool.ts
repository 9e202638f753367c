import assert from 'node:assert/strict';
import * as F from '../../src/index.js';
import { Generator, randn, tensor, zeros, type Tensor } from '../../src/index.js';
import type { OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });
const positive = (shape: number[]) => r(shape).abs().add(0.5);

/**
 * Distinct values 0.05 apart in a random order: max pooling then has no ties, and no finite
 * difference step can change which element wins.
 */
function distinct(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.05);
  const g = new Generator(n);
  for (let i = n - 1; i > 0; i--) {
    const j = g.integer(0, i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
  return tensor(values, { shape, dtype: 'float64' });
}

/**
 * The pooled values, after checking that each index points at its value within its input plane
 * (PyTorch's flat in-plane indices), so a sample with returnIndices fails on a wrong index.
 */
function valuesAtIndices(x: Tensor, { values, indices }: F.PoolWithIndices): Tensor {
  const spatial = indices.ndim - 2;
  const inPlane = x.shape.slice(-spatial).reduce((a, b) => a * b, 1);
  const outPlane = indices.shape.slice(-spatial).reduce((a, b) => a * b, 1);
  assert.equal(indices.dtype, 'int32');
  indices.data.forEach((index, i) => {
    const plane = Math.floor(i / outPlane);
    assert.equal(x.data[plane * inPlane + index], values.data[i], `index ${index} of output ${i}`);
  });
  return values;
}

/** A sample of a one-input op on an input of `shape` made by `input`. */
function sample(
  label: string,
  shape: number[],
  call: (x: Tensor) => Tensor,
  input: (shape: number[]) => Tensor = r,
): Sample {
  return { label: `${label} on [${shape.join(',')}]`, inputs: [input(shape)], call };
}

const maxSample = (label: string, shape: number[], call: (x: Tensor) => Tensor) =>
  sample(label, shape, call, distinct);

export const poolOps: OpInfo[] = [
  {
    name: 'maxPool1d',
    samples: () => [
      maxSample('k3 s2 p1', [3, 2, 9], (x) =>
        F.maxPool1d(x, { kernelSize: 3, stride: 2, padding: 1 }),
      ),
      maxSample('k2 s3 d2 ceil (clipped last window)', [1, 2, 10], (x) =>
        F.maxPool1d(x, { kernelSize: 2, stride: 3, dilation: 2, ceilMode: true }),
      ),
      maxSample('unbatched k3 s3 p1 ceil', [2, 7], (x) =>
        F.maxPool1d(x, { kernelSize: 3, stride: 3, padding: 1, ceilMode: true }),
      ),
    ],
    errors: () => [
      {
        label: 'dilated kernel larger than the input',
        call: () => F.maxPool1d(r([1, 1, 5]), { kernelSize: 3, dilation: 3 }),
        message:
          /maxPool1d: kernelSize \[3\] with dilation \[3\] spans \[7\], more than the input \[1,1,5\] padded to \[5\]: the output size would be \[0\]/,
      },
      {
        label: 'a dilated window that skips the whole input',
        call: () => F.maxPool1d(r([1, 1, 5]), { kernelSize: 2, dilation: 6, padding: 1 }),
        message:
          /maxPool1d: with dilation \[6\] and padding \[1\], a window along dim 2 covers no element of the input \(shape \[1,1,5\]\)/,
      },
    ],
  },
  {
    name: 'maxPool2d',
    samples: () => [
      maxSample('k3 s2 p1', [1, 2, 7, 6], (x) =>
        F.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }),
      ),
      maxSample('batch 3, k[2,3] s[1,2] p[1,0] d[2,1] ceil', [3, 1, 6, 6], (x) =>
        F.maxPool2d(x, {
          kernelSize: [2, 3],
          stride: [1, 2],
          padding: [1, 0],
          dilation: [2, 1],
          ceilMode: true,
        }),
      ),
      maxSample('unbatched k2 s3 ceil (drops a window starting in the padding)', [2, 6, 7], (x) =>
        F.maxPool2d(x, { kernelSize: 2, stride: 3, ceilMode: true }),
      ),
      maxSample('k3 s1 d2', [1, 1, 7, 7], (x) =>
        F.maxPool2d(x, { kernelSize: 3, stride: 1, dilation: 2 }),
      ),
      maxSample('k4 s3 p2', [1, 2, 8, 7], (x) =>
        F.maxPool2d(x, { kernelSize: 4, stride: 3, padding: 2 }),
      ),
      maxSample('returnIndices, k3 s2 p1', [2, 2, 5, 5], (x) =>
        valuesAtIndices(
          x,
          F.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1, returnIndices: true }),
        ),
      ),
    ],
    errors: () => [
      {
        label: 'a 2-D input',
        call: () => F.maxPool2d(r([5, 5]), { kernelSize: 2 }),
        message:
          /maxPool2d: expected input of 3 or 4 dimensions \(\[C, H, W\] or \[N, C, H, W\]\), got shape \[5,5\]/,
      },
      {
        label: 'an integer input',
        call: () => F.maxPool2d(zeros([1, 1, 4, 4], { dtype: 'int32' }), { kernelSize: 2 }),
        message: /maxPool2d: input must be a floating-point tensor, got int32 of shape \[1,1,4,4\]/,
      },
      {
        label: 'padding over half the kernel',
        call: () => F.maxPool2d(r([1, 1, 6, 6]), { kernelSize: 3, padding: 2 }),
        message:
          /maxPool2d: padding \[2,2\] must be at most half of kernelSize \[3,3\] \(input shape \[1,1,6,6\]\)/,
      },
      {
        label: 'NHWC data',
        call: () => F.maxPool2d(r([1, 8, 8, 3]), { kernelSize: 4 }),
        message:
          /maxPool2d: kernelSize \[4,4\] is larger than the input \[1,8,8,3\] padded to \[8,3\]: the output size would be \[2,0\]; the input looks channels-last \(NHWC\) but pooling expects NCHW: permute it with permute\(x, \[0, 3, 1, 2\]\)/,
      },
      {
        label: 'an empty spatial dim',
        call: () => F.maxPool2d(r([1, 1, 0, 4]), { kernelSize: 1 }),
        message: /maxPool2d: input must have non-empty spatial dims, got shape \[1,1,0,4\]/,
      },
    ],
  },
  {
    name: 'maxPool3d',
    samples: () => [
      maxSample('k3 s2 p1', [1, 2, 5, 4, 5], (x) =>
        F.maxPool3d(x, { kernelSize: 3, stride: 2, padding: 1 }),
      ),
      maxSample('batch 3, k2 s[1,2,2] p[1,0,1] d[1,2,1] ceil', [3, 1, 4, 5, 3], (x) =>
        F.maxPool3d(x, {
          kernelSize: 2,
          stride: [1, 2, 2],
          padding: [1, 0, 1],
          dilation: [1, 2, 1],
          ceilMode: true,
        }),
      ),
    ],
    errors: () => [
      {
        label: 'kernelSize of the wrong length',
        call: () => F.maxPool3d(r([1, 1, 4, 4, 4]), { kernelSize: [2, 2] }),
        message: /maxPool3d: kernelSize must have 3 entries, got \[2, 2\]/,
      },
      {
        label: 'a 3-D input',
        call: () => F.maxPool3d(r([2, 4, 4]), { kernelSize: 2 }),
        message:
          /maxPool3d: expected input of 4 or 5 dimensions \(\[C, D, H, W\] or \[N, C, D, H, W\]\), got shape \[2,4,4\]/,
      },
    ],
  },
  {
    name: 'avgPool1d',
    samples: () => [
      sample('k3 s2 p1 ceil excl', [3, 2, 9], (x) =>
        F.avgPool1d(x, {
          kernelSize: 3,
          stride: 2,
          padding: 1,
          ceilMode: true,
          countIncludePad: false,
        }),
      ),
      sample('k4 s3 p2 ceil incl (divisor clipped to the padding)', [1, 2, 8], (x) =>
        F.avgPool1d(x, { kernelSize: 4, stride: 3, padding: 2, ceilMode: true }),
      ),
      sample('unbatched k2 s1', [2, 7], (x) => F.avgPool1d(x, { kernelSize: 2, stride: 1 })),
    ],
    errors: () => [
      {
        label: 'a 4-D input',
        call: () => F.avgPool1d(r([1, 1, 2, 8]), { kernelSize: 2 }),
        message:
          /avgPool1d: expected input of 2 or 3 dimensions \(\[C, L\] or \[N, C, L\]\), got shape \[1,1,2,8\]/,
      },
    ],
  },
  {
    name: 'avgPool2d',
    samples: () => [
      sample('k3 s2 p1 ceil incl', [1, 2, 7, 6], (x) =>
        F.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }),
      ),
      sample('batch 3, k[3,2] s[1,2] p[1,1] excl', [3, 1, 6, 5], (x) =>
        F.avgPool2d(x, {
          kernelSize: [3, 2],
          stride: [1, 2],
          padding: [1, 1],
          countIncludePad: false,
        }),
      ),
      sample('k3 s2 p1 divisorOverride 5', [1, 2, 5, 7], (x) =>
        F.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, divisorOverride: 5 }),
      ),
      sample('k2 s3 (stride over kernel)', [1, 3, 7, 5], (x) =>
        F.avgPool2d(x, { kernelSize: 2, stride: 3 }),
      ),
      sample('unbatched k3 s2 p1 ceil excl', [2, 5, 6], (x) =>
        F.avgPool2d(x, {
          kernelSize: 3,
          stride: 2,
          padding: 1,
          ceilMode: true,
          countIncludePad: false,
        }),
      ),
    ],
    errors: () => [
      {
        label: 'kernel larger than the padded input',
        call: () => F.avgPool2d(r([1, 1, 2, 2]), { kernelSize: 3 }),
        message:
          /avgPool2d: kernelSize \[3,3\] is larger than the input \[1,1,2,2\] padded to \[2,2\]: the output size would be \[0,0\]/,
      },
      {
        label: 'stride 0',
        call: () => F.avgPool2d(r([1, 1, 4, 4]), { kernelSize: 2, stride: 0 }),
        message: /avgPool2d: stride must be integers ≥ 1, got \[0, 0\]/,
      },
      {
        label: 'divisorOverride 0',
        call: () => F.avgPool2d(r([1, 1, 4, 4]), { kernelSize: 2, divisorOverride: 0 }),
        message: /avgPool2d: divisorOverride must be a non-zero integer, got 0/,
      },
    ],
  },
  {
    name: 'avgPool3d',
    samples: () => [
      sample('k3 s2 p1 excl', [1, 2, 5, 4, 5], (x) =>
        F.avgPool3d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }),
      ),
      sample('batch 3, k2 s2 p1 ceil incl (divisor clipped)', [3, 1, 5, 4, 3], (x) =>
        F.avgPool3d(x, { kernelSize: 2, stride: 2, padding: 1, ceilMode: true }),
      ),
    ],
  },
  {
    name: 'adaptiveAvgPool1d',
    samples: () => [
      sample('7 → 3', [3, 2, 7], (x) => F.adaptiveAvgPool1d(x, 3)),
      sample('5 → 8 (larger)', [1, 2, 5], (x) => F.adaptiveAvgPool1d(x, 8)),
    ],
    errors: () => [
      {
        label: 'a 1-D input',
        call: () => F.adaptiveAvgPool1d(r([4]), 2),
        message: /adaptiveAvgPool1d: expected input of 2 or 3 dimensions .*got shape \[4\]/,
      },
    ],
  },
  {
    name: 'adaptiveAvgPool2d',
    samples: () => [
      sample('5x7 → 4x3', [1, 2, 5, 7], (x) => F.adaptiveAvgPool2d(x, [4, 3])),
      sample('batch 2, 3x4 → 5x6 (larger)', [2, 1, 3, 4], (x) => F.adaptiveAvgPool2d(x, [5, 6])),
      sample('[null, 4] keeps H', [1, 2, 5, 6], (x) => F.adaptiveAvgPool2d(x, [null, 4])),
      sample('unbatched → 2', [2, 5, 5], (x) => F.adaptiveAvgPool2d(x, 2)),
    ],
    errors: () => [
      {
        label: 'output size 0',
        call: () => F.adaptiveAvgPool2d(r([1, 1, 4, 4]), [0, 2]),
        message:
          /adaptiveAvgPool2d: outputSize must be 2 positive integers \(null keeps an input size\), got \[0, 2\] for input shape \[1,1,4,4\]/,
      },
    ],
  },
  {
    name: 'adaptiveAvgPool3d',
    samples: () => [
      sample('3x4x5 → 2x3x7', [1, 2, 3, 4, 5], (x) => F.adaptiveAvgPool3d(x, [2, 3, 7])),
    ],
  },
  {
    name: 'adaptiveMaxPool1d',
    samples: () => [
      maxSample('7 → 3', [3, 2, 7], (x) => F.adaptiveMaxPool1d(x, 3)),
      maxSample('5 → 8 (larger)', [1, 2, 5], (x) => F.adaptiveMaxPool1d(x, 8)),
    ],
  },
  {
    name: 'adaptiveMaxPool2d',
    samples: () => [
      maxSample('5x7 → 4x3', [1, 2, 5, 7], (x) => F.adaptiveMaxPool2d(x, [4, 3])),
      maxSample('batch 2, 3x4 → 5x6 (larger)', [2, 1, 3, 4], (x) => F.adaptiveMaxPool2d(x, [5, 6])),
      maxSample('[4, null] keeps W, returnIndices', [1, 2, 6, 5], (x) =>
        valuesAtIndices(x, F.adaptiveMaxPool2d(x, [4, null], { returnIndices: true })),
      ),
      maxSample('unbatched → 2', [2, 5, 5], (x) => F.adaptiveMaxPool2d(x, 2)),
    ],
  },
  {
    name: 'adaptiveMaxPool3d',
    samples: () => [
      maxSample('3x4x5 → 2x3x7', [1, 2, 3, 4, 5], (x) => F.adaptiveMaxPool3d(x, [2, 3, 7])),
    ],
    errors: () => [
      {
        label: 'outputSize of the wrong length',
        call: () => F.adaptiveMaxPool3d(r([1, 1, 4, 4, 4]), [2, 2]),
        message:
          /adaptiveMaxPool3d: outputSize must be 3 positive integers .*got \[2, 2\] for input shape \[1,1,4,4,4\]/,
      },
    ],
  },
  {
    name: 'lpPool1d',
    samples: () => [
      sample('p2 k3 s2', [3, 2, 9], (x) => F.lpPool1d(x, 2, { kernelSize: 3, stride: 2 })),
      sample(
        'p3 k3 ceil (clipped last window)',
        [1, 2, 8],
        (x) => F.lpPool1d(x, 3, { kernelSize: 3, ceilMode: true }),
        positive,
      ),
    ],
  },
  {
    name: 'lpPool2d',
    samples: () => [
      sample('p2 k2', [1, 2, 6, 6], (x) => F.lpPool2d(x, 2, { kernelSize: 2 })),
      sample(
        'p1.5 k[3,2] s[2,1] ceil',
        [2, 1, 7, 5],
        (x) => F.lpPool2d(x, 1.5, { kernelSize: [3, 2], stride: [2, 1], ceilMode: true }),
        positive,
      ),
    ],
    errors: () => [
      {
        label: 'normType 0',
        call: () => F.lpPool2d(r([1, 1, 4, 4]), 0, { kernelSize: 2 }),
        message: /lpPool2d: normType must be a positive finite number, got 0/,
      },
    ],
  },
  {
    name: 'globalAvgPool',
    samples: () => [
      sample('2-D spatial', [2, 3, 4, 5], F.globalAvgPool),
      sample('1-D spatial', [2, 3, 5], F.globalAvgPool),
      sample('3-D spatial', [1, 2, 3, 3, 2], F.globalAvgPool),
    ],
    errors: () => [
      {
        label: 'a 2-D input',
        call: () => F.globalAvgPool(r([2, 3])),
        message:
          /globalAvgPool: expected input \[N, C, ...spatial\] of at least 3 dimensions, got shape \[2,3\]/,
      },
    ],
  },
  {
    name: 'globalMaxPool',
    samples: () => [
      maxSample('2-D spatial', [2, 3, 4, 5], F.globalMaxPool),
      maxSample('3-D spatial', [1, 2, 3, 3, 2], F.globalMaxPool),
    ],
    errors: () => [
      {
        label: 'a uint8 input',
        call: () => F.globalMaxPool(zeros([2, 3, 4, 4], { dtype: 'uint8' })),
        message:
          /globalMaxPool: input must be a floating-point tensor, got uint8 of shape \[2,3,4,4\]/,
      },
    ],
  },
];
