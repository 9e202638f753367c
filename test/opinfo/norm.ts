import * as F from '../../src/index.js';
import { Generator, manualSeed, ones, randn, tensor, zeros, type Tensor } from '../../src/index.js';
import type { ErrorCase, OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });
/** Values kept away from 0 (variances). */
const positive = (shape: number[]) => r(shape).abs().add(0.5);
const f64 = { dtype: 'float64' } as const;
const show = (shape: readonly number[]) => `[${shape.join(',')}]`;

/** Which of weight and bias a sample passes; the grids cycle through all four. */
const affineModes = ['weight and bias', 'weight only', 'bias only', 'no affine'] as const;
type Affine = (typeof affineModes)[number];

type Params = { weight: Tensor | null; bias: Tensor | null };

/** A sample over x and, as `affine` says, a weight and a bias of `paramShape`. */
function normSample(
  label: string,
  xShape: number[],
  paramShape: number[],
  affine: Affine,
  norm: (x: Tensor, params: Params) => Tensor,
): Sample {
  const withWeight = affine === 'weight and bias' || affine === 'weight only';
  const withBias = affine === 'weight and bias' || affine === 'bias only';
  const inputs = [r(xShape)];
  if (withWeight) inputs.push(r(paramShape));
  if (withBias) inputs.push(r(paramShape));
  return {
    label: `x ${show(xShape)}, ${label}, ${affine}`,
    inputs,
    call: (x, ...params) =>
      norm(x, {
        weight: withWeight ? params[0] : null,
        bias: withBias ? params[withWeight ? 1 : 0] : null,
      }),
  };
}

/** 2-D to 5-D inputs, each with batch 3 and batch 1, a few channels and small spatial sizes. */
const shapesByRank = (channels: number) => [
  [3, channels],
  [3, channels, 5],
  [1, channels, 4],
  [3, channels, 2, 3],
  [1, channels, 3, 3],
  [3, channels, 2, 2, 2],
  [1, channels, 2, 3, 2],
];

function batchNormSamples(): Sample[] {
  const training = shapesByRank(3).map((shape, i) =>
    normSample('training, tracking running stats', shape, [3], affineModes[i % 4], (x, params) =>
      F.batchNorm(x, zeros([3], f64), ones([3], f64), { ...params, training: true }),
    ),
  );
  return [
    ...training,
    normSample(
      'training, no running stats, momentum 0.3, eps 1e-3',
      [3, 2],
      [2],
      'no affine',
      (x, p) => F.batchNorm(x, null, null, { ...p, training: true, momentum: 0.3, eps: 1e-3 }),
    ),
    {
      label: 'x [3,2,2,3], eval: running stats differentiable, weight and bias',
      inputs: [r([3, 2, 2, 3]), r([2]), positive([2]), r([2]), r([2])],
      call: (x, mean, variance, weight, bias) => F.batchNorm(x, mean, variance, { weight, bias }),
    },
    {
      label: 'x [1,4], eval with batch 1, no affine',
      inputs: [r([1, 4]), r([4]), positive([4])],
      call: (x, mean, variance) => F.batchNorm(x, mean, variance, { training: false }),
    },
    {
      label: 'x [1,2,2,2,3], eval 5-D, eps 0.1',
      inputs: [r([1, 2, 2, 2, 3]), r([2]), positive([2])],
      call: (x, mean, variance) => F.batchNorm(x, mean, variance, { eps: 0.1 }),
    },
  ];
}

function instanceNormSamples(): Sample[] {
  const grid = shapesByRank(2)
    .filter((shape) => shape.length > 2)
    .map((shape, i) =>
      normSample('input stats', shape, [2], affineModes[i % 4], (x, params) =>
        F.instanceNorm(x, params),
      ),
    );
  return [
    ...grid,
    normSample('tracking running stats, eps 1e-3', [3, 2, 4], [2], 'weight and bias', (x, p) =>
      F.instanceNorm(x, {
        ...p,
        runningMean: zeros([2], f64),
        runningVar: ones([2], f64),
        eps: 1e-3,
      }),
    ),
    {
      label: 'x [3,2,2,3], useInputStats false: running stats differentiable',
      inputs: [r([3, 2, 2, 3]), r([2]), positive([2]), r([2])],
      call: (x, runningMean, runningVar, weight) =>
        F.instanceNorm(x, { runningMean, runningVar, weight, useInputStats: false }),
    },
  ];
}

function groupNormSamples(): Sample[] {
  const samples: Sample[] = [];
  for (const shape of shapesByRank(4)) {
    for (const groups of [1, 2, 4]) {
      const affine = affineModes[samples.length % 4];
      samples.push(
        normSample(`groups ${groups}`, shape, [4], affine, (x, params) =>
          F.groupNorm(x, groups, params),
        ),
      );
    }
  }
  samples.push(
    normSample('6 channels in 3 groups, eps 1e-3', [3, 6, 2], [6], 'weight and bias', (x, p) =>
      F.groupNorm(x, 3, { ...p, eps: 1e-3 }),
    ),
  );
  return samples;
}

function layerNormSamples(): Sample[] {
  const cases: [number[], number | number[], Affine][] = [
    [[3, 5], 5, 'weight and bias'],
    [[2, 3, 4], [3, 4], 'weight and bias'],
    [[1, 2, 3, 4], [4], 'no affine'],
    [[3, 2, 2, 3], [2, 2, 3], 'weight only'],
    [[2, 2, 2, 3, 2], [3, 2], 'bias only'],
  ];
  return [
    ...cases.map(([shape, normalized, affine]) =>
      normSample(
        `normalizedShape ${JSON.stringify(normalized)}`,
        shape,
        [normalized].flat(),
        affine,
        (x, p) => F.layerNorm(x, normalized, p),
      ),
    ),
    normSample('normalizedShape [4], eps 0.1', [3, 4], [4], 'weight and bias', (x, p) =>
      F.layerNorm(x, [4], { ...p, eps: 0.1 }),
    ),
  ];
}

function localResponseNormSamples(): Sample[] {
  const cases: [number[], number, F.LocalResponseNormOptions][] = [
    [[3, 5, 4], 3, { alpha: 0.5, beta: 0.6, k: 2 }],
    [[2, 6, 2, 3], 4, { alpha: 0.3, beta: 0.9, k: 1.5 }],
    [[1, 3, 2, 2, 2], 5, { alpha: 1, beta: 0.75, k: 1 }],
    [[3, 4, 3], 1, { alpha: 0.7, beta: 1.2, k: 0.5 }],
    [[2, 4, 3], 2, {}],
  ];
  return cases.map(([shape, size, options]) => ({
    label: `x ${show(shape)}, size ${size}, ${JSON.stringify(options)}`,
    inputs: [r(shape)],
    call: (x) => F.localResponseNorm(x, size, options),
  }));
}

type DropoutFn = (x: Tensor, options?: F.DropoutOptions) => Tensor;

/** A dropout sample that re-seeds before each call, so every forward draws the same mask. */
function seeded(name: string, fn: DropoutFn, shape: number[], options: F.DropoutOptions): Sample {
  return {
    label: `${name} x ${show(shape)}, ${JSON.stringify(options)}, manualSeed(7)`,
    inputs: [r(shape)],
    call: (x) => {
      manualSeed(7);
      return fn(x, options);
    },
  };
}

function dropoutSamples(): Sample[] {
  return [
    seeded('dropout', F.dropout, [3, 4, 5], { p: 0.4 }),
    seeded('dropout', F.dropout, [2, 3], {}),
    seeded('dropout', F.dropout, [2, 3], { p: 1 }),
    seeded('dropout', F.dropout, [2, 3], { p: 0.5, training: false }),
    {
      label: 'dropout with its own generator, p 0.3',
      inputs: [r([4, 5])],
      call: (x) => F.dropout(x, { p: 0.3, generator: new Generator(3) }),
    },
    seeded('dropout1d', F.dropout1d, [3, 4, 5], { p: 0.5 }),
    seeded('dropout1d', F.dropout1d, [4, 5], { p: 0.5 }),
    seeded('dropout2d', F.dropout2d, [2, 3, 2, 3], { p: 0.5 }),
    seeded('dropout2d', F.dropout2d, [3, 2, 2], { p: 0.5 }),
    seeded('dropout3d', F.dropout3d, [2, 2, 2, 2, 3], { p: 0.5 }),
    seeded('dropout3d', F.dropout3d, [3, 2, 2, 2], { p: 0.5 }),
    seeded('alphaDropout', F.alphaDropout, [3, 4, 5], { p: 0.3, training: true }),
    seeded('alphaDropout', F.alphaDropout, [3, 4], { p: 0.3 }),
    seeded('featureAlphaDropout', F.featureAlphaDropout, [2, 3, 2, 2], {
      p: 0.5,
      training: true,
    }),
  ];
}

const int = () =>
  tensor(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: 'int32' },
  );
const nhwcHint =
  /if the data is channels-last \(NHWC\), convert it with x\.permute\(\[0, 3, 1, 2\]\)/;

function batchNormErrors(): ErrorCase[] {
  return [
    {
      label: 'weight of the wrong length',
      call: () => F.batchNorm(r([2, 3, 5, 5]), null, null, { weight: r([4]), training: true }),
      message:
        /batchNorm: weight has shape \[4\] but the input has 3 channels \(dim 1 of input shape \[2,3,5,5\]\), expected \[3\]$/,
    },
    {
      label: 'running mean of the wrong length',
      call: () => F.batchNorm(r([2, 3]), zeros([2], f64), ones([3], f64)),
      message: /batchNorm: runningMean has shape \[2\] but the input has 3 channels/,
    },
    {
      label: 'bias of the wrong shape',
      call: () => F.batchNorm(r([2, 3]), null, null, { bias: r([3, 1]), training: true }),
      message: /batchNorm: bias has shape \[3,1\] but the input has 3 channels/,
    },
    {
      label: 'channels-last input',
      call: () => F.batchNorm(r([2, 5, 5, 3]), zeros([3], f64), ones([3], f64)),
      message: new RegExp(
        /batchNorm: runningMean has shape \[3\] but the input has 5 channels.*/.source +
          nhwcHint.source,
      ),
    },
    {
      label: 'training with one value per channel',
      call: () => F.batchNorm(r([1, 3]), null, null, { training: true }),
      message:
        /batchNorm: expected more than 1 value per channel when training, got input shape \[1,3\]/,
    },
    {
      label: 'training with one value per channel (1×1 image)',
      call: () => F.batchNorm(r([1, 3, 1, 1]), zeros([3], f64), ones([3], f64), { training: true }),
      message:
        /batchNorm: expected more than 1 value per channel when training, got input shape \[1,3,1,1\]/,
    },
    {
      label: 'integer input',
      call: () => F.batchNorm(int(), null, null, { training: true }),
      message: /batchNorm: input must be a floating-point tensor, got int32/,
    },
    {
      label: 'eval without running stats',
      call: () => F.batchNorm(r([2, 3]), null, null),
      message:
        /batchNorm: normalising with running statistics \(eval mode\) needs runningMean and runningVar/,
    },
    {
      label: 'only one running statistic in training',
      call: () => F.batchNorm(r([2, 3]), zeros([3], f64), null, { training: true }),
      message: /batchNorm: runningMean and runningVar must be given together/,
    },
    {
      label: 'momentum null',
      call: () =>
        F.batchNorm(r([2, 3]), zeros([3], f64), ones([3], f64), { training: true, momentum: null }),
      message: /batchNorm: momentum null .* pass momentum = 1 \/ batchesSeen/,
    },
    {
      label: '1-D input',
      call: () => F.batchNorm(r([3]), zeros([3], f64), ones([3], f64)),
      message:
        /batchNorm: expected input of at least 2 dimensions \(N, C, \.\.\.\), got shape \[3\]/,
    },
  ];
}

function instanceNormErrors(): ErrorCase[] {
  return [
    {
      label: 'one spatial element',
      call: () => F.instanceNorm(r([2, 3, 1])),
      message:
        /instanceNorm: expected more than 1 spatial element when using input statistics, got input shape \[2,3,1\]/,
    },
    {
      label: '2-D input',
      call: () => F.instanceNorm(r([2, 3])),
      message:
        /instanceNorm: expected input of at least 3 dimensions \(N, C, \.\.\.spatial\), got shape \[2,3\]/,
    },
    {
      label: 'bias of the wrong length, channels-last',
      call: () => F.instanceNorm(r([2, 4, 4, 3]), { bias: r([3]) }),
      message: new RegExp(
        /instanceNorm: bias has shape \[3\] but the input has 4 channels.*/.source +
          nhwcHint.source,
      ),
    },
    {
      label: 'running var of the wrong length',
      call: () =>
        F.instanceNorm(r([2, 3, 4]), { runningMean: zeros([3], f64), runningVar: ones([2], f64) }),
      message: /instanceNorm: runningVar has shape \[2\] but the input has 3 channels/,
    },
    {
      label: 'running var without running mean',
      call: () => F.instanceNorm(r([2, 3, 4]), { runningVar: ones([3], f64) }),
      message:
        /instanceNorm: runningMean and runningVar must be given together .* got only runningVar/,
    },
    {
      label: 'useInputStats false without running stats',
      call: () => F.instanceNorm(r([2, 3, 4]), { useInputStats: false }),
      message:
        /instanceNorm: normalising with running statistics \(eval mode\) needs runningMean and runningVar/,
    },
    {
      label: 'integer input',
      call: () => F.instanceNorm(tensor([[[1, 2]]], { dtype: 'int32' })),
      message: /instanceNorm: input must be a floating-point tensor, got int32/,
    },
  ];
}

function groupNormErrors(): ErrorCase[] {
  return [
    {
      label: 'groups that do not divide the channels',
      call: () => F.groupNorm(r([2, 4, 5]), 3),
      message:
        /groupNorm: numGroups must be a positive integer that divides the 4 channels, got numGroups 3 for input shape \[2,4,5\]$/,
    },
    {
      label: 'zero groups',
      call: () => F.groupNorm(r([2, 4, 3]), 0),
      message: /groupNorm: numGroups must be a positive integer .* got numGroups 0/,
    },
    {
      label: 'groups that divide the last dim: channels-last',
      call: () => F.groupNorm(r([2, 5, 5, 6]), 3),
      message: new RegExp(/groupNorm: numGroups .* got numGroups 3.*/.source + nhwcHint.source),
    },
    {
      label: 'weight of the wrong length',
      call: () => F.groupNorm(r([2, 4, 3]), 2, { weight: r([2]) }),
      message:
        /groupNorm: weight has shape \[2\] but the input has 4 channels \(dim 1 of input shape \[2,4,3\]\), expected \[4\]/,
    },
    {
      label: 'integer input',
      call: () => F.groupNorm(int(), 1),
      message: /groupNorm: input must be a floating-point tensor, got int32/,
    },
  ];
}

function layerNormErrors(): ErrorCase[] {
  return [
    {
      label: 'normalizedShape not the trailing dims',
      call: () => F.layerNorm(r([2, 3, 5, 4]), [4, 4]),
      message:
        /layerNorm: normalizedShape \[4,4\] must be non-empty and equal the last 2 dims of the input, got input shape \[2,3,5,4\]/,
    },
    {
      label: 'normalizedShape longer than the input',
      call: () => F.layerNorm(r([4]), [2, 4]),
      message: /layerNorm: normalizedShape \[2,4\] must .* got input shape \[4\]/,
    },
    {
      label: 'empty normalizedShape',
      call: () => F.layerNorm(r([2, 3]), []),
      message: /layerNorm: normalizedShape \[\] must be non-empty/,
    },
    {
      label: 'weight not of normalizedShape',
      call: () => F.layerNorm(r([2, 3, 4]), [3, 4], { weight: r([4]) }),
      message: /layerNorm: weight has shape \[4\] but normalizedShape is \[3,4\]/,
    },
    {
      label: 'integer input',
      call: () => F.layerNorm(int(), 2),
      message: /layerNorm: input must be a floating-point tensor, got int32/,
    },
  ];
}

function localResponseNormErrors(): ErrorCase[] {
  return [
    {
      label: '2-D input',
      call: () => F.localResponseNorm(r([2, 3]), 2),
      message:
        /localResponseNorm: expected input of at least 3 dimensions \(N, C, \.\.\.\), got shape \[2,3\]/,
    },
    {
      label: 'size 0',
      call: () => F.localResponseNorm(r([2, 3, 4]), 0),
      message: /localResponseNorm: size must be a positive integer, got 0/,
    },
    {
      label: 'integer input',
      call: () => F.localResponseNorm(tensor([[[1, 2]]], { dtype: 'int32' }), 1),
      message: /localResponseNorm: input must be a floating-point tensor, got int32/,
    },
  ];
}

function dropoutErrors(): ErrorCase[] {
  return [
    {
      label: 'p above 1',
      call: () => F.dropout(r([2, 3]), { p: 1.5 }),
      message: /dropout: p must be a probability in \[0, 1\], got 1\.5/,
    },
    {
      label: 'negative p, even when not training',
      call: () => F.dropout(r([2, 3]), { p: -0.1, training: false }),
      message: /dropout: p must be a probability in \[0, 1\], got -0\.1/,
    },
    {
      label: 'integer input',
      call: () => F.dropout(int()),
      message: /dropout: input must be a floating-point tensor, got int32/,
    },
    {
      label: 'dropout2d of a 2-D input',
      call: () => F.dropout2d(r([2, 3])),
      message:
        /dropout2d: expected input of 4 dimensions \(N, C, H, W\) or 3 without the batch \(C, H, W\), got shape \[2,3\]/,
    },
    {
      label: 'dropout1d of a 4-D input',
      call: () => F.dropout1d(r([2, 3, 4, 4])),
      message:
        /dropout1d: expected input of 3 dimensions \(N, C, L\) or 2 without the batch \(C, L\), got shape \[2,3,4,4\]/,
    },
    {
      label: 'dropout3d of a 3-D input',
      call: () => F.dropout3d(r([2, 3, 4])),
      message: /dropout3d: expected input of 5 dimensions \(N, C, D, H, W\) or 4 without the batch/,
    },
    {
      label: 'alphaDropout with p above 1',
      call: () => F.alphaDropout(r([2, 3]), { p: 2, training: true }),
      message: /alphaDropout: p must be a probability in \[0, 1\], got 2/,
    },
    {
      label: 'featureAlphaDropout of a 1-D input',
      call: () => F.featureAlphaDropout(r([3]), { training: true }),
      message:
        /featureAlphaDropout: expected input of at least 2 dimensions \(N, C, \.\.\.\), got shape \[3\]/,
    },
  ];
}

export const normOps: OpInfo[] = [
  { name: 'batchNorm', samples: batchNormSamples, errors: batchNormErrors },
  { name: 'instanceNorm', samples: instanceNormSamples, errors: instanceNormErrors },
  { name: 'groupNorm', samples: groupNormSamples, errors: groupNormErrors },
  { name: 'layerNorm', samples: layerNormSamples, errors: layerNormErrors },
  {
    name: 'localResponseNorm',
    samples: localResponseNormSamples,
    errors: localResponseNormErrors,
  },
  { name: 'dropout', samples: dropoutSamples, errors: dropoutErrors },
];
