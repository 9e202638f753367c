import * as F from '../../src/index.js';
import { randn, zeros, type Tensor } from '../../src/index.js';
import type { ErrorCase, OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });

type ConvFn = (x: Tensor, w: Tensor, b?: Tensor | null, o?: F.ConvOptions) => Tensor;

/** A conv sample over x, weight and (unless withBias is false) bias. */
function convSample(
  conv: ConvFn,
  label: string,
  xShape: number[],
  wShape: number[],
  options: F.ConvOptions,
  withBias = true,
): Sample {
  const inputs = [r(xShape), r(wShape)];
  if (withBias) inputs.push(r([wShape[0]]));
  return {
    label: `x ${JSON.stringify(xShape)}, w ${JSON.stringify(wShape)}, ${label}`,
    inputs,
    call: (x, w, b) => conv(x, w, b, options),
  };
}

/**
 * The conv2d grid: every stride 1–3 × padding 0–2 and 'same' (stride 1 only) × dilation 1–2 ×
 * groups 1 / 2 / C, on odd 5×5 images, alternating batch 1 / 3, square / 3×2 kernels and bias.
 */
function conv2dGrid(): Sample[] {
  const samples: Sample[] = [];
  for (const stride of [1, 2, 3]) {
    for (const padding of [0, 1, 2, 'same'] as const) {
      if (padding === 'same' && stride !== 1) continue;
      for (const dilation of [1, 2]) {
        for (const groups of [1, 2, 4]) {
          const i = samples.length;
          const options = { stride, padding, dilation, groups };
          samples.push(
            convSample(
              F.conv2d,
              JSON.stringify(options),
              [i % 2 === 0 ? 1 : 3, 4, 5, 5],
              [4, 4 / groups, ...(i % 4 < 2 ? [3, 3] : [3, 2])],
              options,
              i % 5 !== 4,
            ),
          );
        }
      }
    }
  }
  return samples;
}

function conv2dSamples(): Sample[] {
  return [
    ...conv2dGrid(),
    convSample(F.conv2d, 'depthwise groups = C = 3, multiplier 2', [2, 3, 5, 5], [6, 1, 3, 3], {
      groups: 3,
      padding: 1,
    }),
    convSample(F.conv2d, '1×1 image, 1×1 kernel', [3, 3, 1, 1], [4, 3, 1, 1], {}),
    convSample(F.conv2d, '1×1 image, 3×3 kernel, padding 1', [2, 2, 1, 1], [3, 2, 3, 3], {
      padding: 1,
    }),
    convSample(F.conv2d, 'pointwise 1×1, groups 2', [2, 4, 3, 5], [6, 2, 1, 1], { groups: 2 }),
    convSample(F.conv2d, 'stride 3 > kernel 2', [1, 2, 7, 8], [3, 2, 2, 2], { stride: 3 }),
    convSample(F.conv2d, "'same', even kernel 4 (1 before, 2 after)", [1, 2, 6, 5], [2, 2, 4, 4], {
      padding: 'same',
    }),
    convSample(F.conv2d, "'same', kernel [4,3], dilation 2", [1, 2, 7, 7], [2, 2, 4, 3], {
      padding: 'same',
      dilation: 2,
    }),
    convSample(F.conv2d, "'valid', stride [1,2]", [2, 2, 5, 7], [3, 2, 2, 3], {
      padding: 'valid',
      stride: [1, 2],
    }),
    convSample(F.conv2d, 'asymmetric padding [[0,2],[1,0]]', [1, 3, 5, 4], [2, 3, 3, 3], {
      padding: [
        [0, 2],
        [1, 0],
      ],
      stride: 2,
    }),
    ...(['reflect', 'replicate', 'circular'] as const).map((paddingMode, i) =>
      convSample(F.conv2d, `paddingMode ${paddingMode}`, [2, 2, 5, 4], [3, 2, 3, 3], {
        paddingMode,
        padding: [1, 2],
        stride: i + 1,
      }),
    ),
    convSample(F.conv2d, "paddingMode reflect with 'same'", [1, 2, 5, 5], [2, 2, 4, 3], {
      paddingMode: 'reflect',
      padding: 'same',
    }),
  ];
}

function conv1dSamples(): Sample[] {
  return [
    convSample(F.conv1d, 'stride 2, padding 1', [3, 4, 9], [6, 4, 3], { stride: 2, padding: 1 }),
    convSample(
      F.conv1d,
      'dilation 2, groups 2, no bias',
      [2, 4, 11],
      [4, 2, 3],
      { dilation: 2, groups: 2 },
      false,
    ),
    convSample(F.conv1d, "'same', kernel 4", [1, 3, 7], [2, 3, 4], { padding: 'same' }),
    convSample(F.conv1d, 'paddingMode circular, padding 2', [2, 2, 6], [3, 2, 3], {
      paddingMode: 'circular',
      padding: 2,
    }),
    convSample(F.conv1d, 'depthwise, stride 3', [1, 4, 10], [4, 1, 2], { groups: 4, stride: 3 }),
  ];
}

function conv3dSamples(): Sample[] {
  return [
    convSample(F.conv3d, 'padding 1', [1, 2, 4, 4, 3], [2, 2, 2, 2, 2], { padding: 1 }),
    convSample(F.conv3d, 'stride [2,1,2], groups 2', [2, 2, 5, 3, 4], [4, 1, 3, 2, 2], {
      stride: [2, 1, 2],
      groups: 2,
      padding: [1, 0, 1],
    }),
    convSample(F.conv3d, 'paddingMode replicate, dilation 2', [1, 1, 4, 5, 4], [2, 1, 2, 2, 2], {
      paddingMode: 'replicate',
      padding: 1,
      dilation: 2,
    }),
  ];
}

type ConvTransposeFn = (
  x: Tensor,
  w: Tensor,
  b?: Tensor | null,
  o?: F.ConvTransposeOptions,
) => Tensor;

function transposeSample(
  conv: ConvTransposeFn,
  label: string,
  xShape: number[],
  wShape: number[],
  options: F.ConvTransposeOptions,
): Sample {
  const groups = options.groups ?? 1;
  return {
    label: `x ${JSON.stringify(xShape)}, w ${JSON.stringify(wShape)}, ${label}`,
    inputs: [r(xShape), r(wShape), r([wShape[1] * groups])],
    call: (x, w, b) => conv(x, w, b, options),
  };
}

function convTransposeSamples(): Sample[] {
  return [
    transposeSample(
      F.convTranspose2d,
      'stride 2, padding 1, outputPadding 1',
      [2, 3, 3, 4],
      [3, 2, 3, 3],
      {
        stride: 2,
        padding: 1,
        outputPadding: 1,
      },
    ),
    transposeSample(
      F.convTranspose2d,
      'groups 2, stride 3, outputPadding [2,1]',
      [1, 4, 3, 3],
      [4, 1, 2, 3],
      {
        groups: 2,
        stride: 3,
        outputPadding: [2, 1],
      },
    ),
    transposeSample(F.convTranspose2d, 'dilation 2, padding 2', [3, 2, 3, 3], [2, 3, 3, 2], {
      dilation: 2,
      padding: 2,
    }),
    transposeSample(
      F.convTranspose2d,
      'outputPadding 1 ≥ stride 1 but < dilation 2',
      [1, 2, 4, 3],
      [2, 2, 2, 2],
      { dilation: 2, outputPadding: 1, padding: 1 },
    ),
    transposeSample(F.convTranspose2d, 'depthwise, 1×1 image', [2, 3, 1, 1], [3, 1, 3, 3], {
      groups: 3,
    }),
    transposeSample(
      F.convTranspose1d,
      'stride 2, padding 1, outputPadding 1',
      [2, 3, 5],
      [3, 2, 4],
      {
        stride: 2,
        padding: 1,
        outputPadding: 1,
      },
    ),
    transposeSample(
      F.convTranspose3d,
      'stride [2,1,2], outputPadding [1,0,0]',
      [1, 2, 2, 3, 2],
      [2, 2, 2, 2, 3],
      {
        stride: [2, 1, 2],
        outputPadding: [1, 0, 0],
      },
    ),
  ];
}

/** The bad calls conv2d must refuse, each with a message naming what was expected and given. */
function conv2dErrors(): ErrorCase[] {
  const x = r([1, 3, 8, 8]);
  return [
    {
      label: 'input channels differ from the weight',
      call: () => F.conv2d(x, r([32, 1, 3, 3])),
      message: /^conv2d: input has 3 channels but weight expects 1 \(weight shape \[32,1,3,3\]\)$/,
    },
    {
      label: 'groups does not divide the output channels',
      call: () => F.conv2d(r([1, 4, 5, 5]), r([6, 1, 3, 3]), null, { groups: 4 }),
      message: /conv2d: groups 4 must divide the 6 output channels \(dim 0 of weight \[6,1,3,3\]\)/,
    },
    {
      label: 'groups does not divide the input channels',
      call: () => F.conv2d(r([1, 6, 5, 5]), r([8, 2, 3, 3]), null, { groups: 4 }),
      message:
        /conv2d: input has 6 channels but weight expects 8 \(weight shape \[8,2,3,3\], groups 4\); groups 4 does not divide 6/,
    },
    {
      label: 'kernel larger than the padded input',
      call: () => F.conv2d(r([1, 1, 2, 2]), r([1, 1, 5, 5]), null, { padding: 1 }),
      message:
        /conv2d: kernel \[5,5\] with dilation \[1,1\] spans \[5,5\], larger than the padded input \[4,4\] \(input \[2,2\] plus padding\)/,
    },
    {
      label: 'dilated kernel larger than the input',
      call: () => F.conv2d(r([1, 1, 4, 6]), r([1, 1, 3, 3]), null, { dilation: [2, 1] }),
      message:
        /conv2d: kernel \[3,3\] with dilation \[2,1\] spans \[5,3\], larger than the padded input \[4,6\]/,
    },
    {
      label: '3-D input (a single image)',
      call: () => F.conv2d(r([3, 8, 8]), r([4, 3, 3, 3])),
      message:
        /conv2d: expected input of 4 dimensions \[N, C, H, W\], got shape \[3,8,8\]; for a single image use x\.unsqueeze\(0\)/,
    },
    {
      label: '2-D weight',
      call: () => F.conv2d(x, r([4, 27])),
      message:
        /conv2d: expected weight of 4 dimensions \[C_out, C_in\/groups, kH, kW\], got shape \[4,27\]/,
    },
    {
      label: 'int32 input',
      call: () => F.conv2d(zeros([1, 3, 8, 8], { dtype: 'int32' }), r([4, 3, 3, 3])),
      message: /conv2d: input must be a floating-point tensor, got int32/,
    },
    {
      label: 'uint8 input',
      call: () => F.conv2d(zeros([1, 3, 8, 8], { dtype: 'uint8' }), r([4, 3, 3, 3])),
      message: /conv2d: input must be a floating-point tensor, got uint8/,
    },
    {
      label: 'float32 input, float64 weight',
      call: () => F.conv2d(zeros([1, 3, 8, 8]), r([4, 3, 3, 3])),
      message: /conv2d: input is float32 but weight is float64/,
    },
    {
      label: 'NHWC input',
      call: () => F.conv2d(r([2, 8, 8, 3]), r([4, 3, 3, 3])),
      message:
        /conv2d: input \[2,8,8,3\] looks channels-last: its last dim is 3, the channels weight \[4,3,3,3\] expects, but dim 1 is 8; .*x\.permute\(\[0, 3, 1, 2\]\)/,
    },
    {
      label: 'bias of the wrong size',
      call: () => F.conv2d(x, r([4, 3, 3, 3]), r([3])),
      message: /conv2d: bias must have shape \[4\] \(one value per output channel\), got \[3\]/,
    },
    {
      label: "padding 'same' with stride 2",
      call: () => F.conv2d(x, r([4, 3, 3, 3]), null, { padding: 'same', stride: 2 }),
      message: /conv2d: padding 'same' needs stride 1, as in PyTorch, got stride \[2,2\]/,
    },
    {
      label: 'negative padding',
      call: () => F.conv2d(x, r([4, 3, 3, 3]), null, { padding: [1, -1] }),
      message:
        /conv2d: padding must be a non-negative integer, a list of 2 \(one per spatial dim: an integer or a \[before, after\] pair\), 'same' or 'valid', got \[1,-1\]/,
    },
    {
      label: 'stride 0',
      call: () => F.conv2d(x, r([4, 3, 3, 3]), null, { stride: [1, 0] }),
      message: /conv2d: stride must be integers ≥ 1, got \[1, 0\]/,
    },
    {
      label: 'unknown paddingMode',
      call: () =>
        F.conv2d(x, r([4, 3, 3, 3]), null, { paddingMode: 'mirror' as F.PaddingMode, padding: 1 }),
      message:
        /conv2d: paddingMode must be one of zeros, reflect, replicate, circular, got 'mirror'/,
    },
    {
      label: 'reflect padding as large as the input',
      call: () =>
        F.conv2d(r([1, 1, 2, 5]), r([1, 1, 3, 3]), null, { paddingMode: 'reflect', padding: 2 }),
      message: /conv2d: reflect padding \[2,2\] must be smaller than the input \[2,5\]/,
    },
  ];
}

export const convOps: OpInfo[] = [
  { name: 'conv2d', samples: conv2dSamples, errors: conv2dErrors },
  {
    name: 'conv1d',
    samples: conv1dSamples,
    errors: () => [
      {
        label: 'channels-last [N, L, C] input',
        call: () => F.conv1d(r([2, 9, 4]), r([6, 4, 3])),
        message:
          /conv1d: input \[2,9,4\] looks channels-last.*\[N, C, L\], convert with x\.permute\(\[0, 2, 1\]\)/,
      },
      {
        label: '2-D input',
        call: () => F.conv1d(r([4, 9]), r([6, 4, 3])),
        message:
          /conv1d: expected input of 3 dimensions \[N, C, L\], got shape \[4,9\]; for a single sequence use x\.unsqueeze\(0\)/,
      },
    ],
  },
  {
    name: 'conv3d',
    samples: conv3dSamples,
    errors: () => [
      {
        label: 'channels-last input',
        call: () => F.conv3d(r([1, 4, 4, 4, 2]), r([3, 2, 2, 2, 2])),
        message: /conv3d: .*looks channels-last.*x\.permute\(\[0, 4, 1, 2, 3\]\)/,
      },
    ],
  },
  {
    name: 'convTranspose',
    samples: convTransposeSamples,
    errors: () => [
      {
        label: 'outputPadding not below stride or dilation',
        call: () =>
          F.convTranspose2d(r([1, 2, 3, 3]), r([2, 2, 3, 3]), null, {
            stride: 2,
            outputPadding: [1, 2],
          }),
        message:
          /convTranspose2d: outputPadding \[1,2\] must be smaller than stride \[2,2\] or dilation \[1,1\] in each dim/,
      },
      {
        label: 'input channels differ from weight dim 0',
        call: () => F.convTranspose2d(r([1, 3, 5, 5]), r([4, 2, 3, 3])),
        message:
          /convTranspose2d: input has 3 channels but weight expects 4 \(weight shape \[4,2,3,3\]\)/,
      },
      {
        label: 'groups does not divide the input channels',
        call: () => F.convTranspose2d(r([1, 4, 4, 4]), r([4, 2, 3, 3]), null, { groups: 3 }),
        message:
          /convTranspose2d: groups 3 must divide the 4 input channels \(dim 0 of weight \[4,2,3,3\]\)/,
      },
      {
        label: 'padding leaves no output',
        call: () => F.convTranspose2d(r([1, 2, 1, 1]), r([2, 2, 3, 3]), null, { padding: 2 }),
        message: /convTranspose2d: padding \[2,2\] leaves no output \(size \[-1,-1\]\)/,
      },
      {
        label: 'bias sized C_out/groups instead of C_out',
        call: () => F.convTranspose2d(r([1, 4, 4, 4]), r([4, 2, 3, 3]), r([2]), { groups: 2 }),
        message:
          /convTranspose2d: bias must have shape \[4\] \(one value per output channel\), got \[2\]/,
      },
    ],
  },
  {
    name: 'unfold',
    samples: () => [
      {
        label: 'kernel [2,3], dilation [2,1], padding 1, stride [1,2]',
        inputs: [r([2, 3, 5, 6])],
        call: (x) =>
          F.unfold(x, { kernelSize: [2, 3], dilation: [2, 1], padding: 1, stride: [1, 2] }),
      },
      {
        label: 'kernel 3, stride 2',
        inputs: [r([1, 2, 7, 7])],
        call: (x) => F.unfold(x, { kernelSize: 3, stride: 2 }),
      },
    ],
    errors: () => [
      {
        label: '3-D input',
        call: () => F.unfold(r([3, 8, 8]), { kernelSize: 2 }),
        message: /unfold: expected input of 4 dimensions \(\[N, C, H, W\]\), got shape \[3,8,8\]/,
      },
      {
        label: 'kernel larger than the input',
        call: () => F.unfold(r([1, 1, 3, 3]), { kernelSize: 4 }),
        message:
          /unfold: kernel \[4,4\] with dilation \[1,1\] spans \[4,4\], larger than the padded input \[3,3\]/,
      },
    ],
  },
  {
    name: 'fold',
    samples: () => [
      {
        label: 'overlapping blocks: kernel 3, stride 2, padding 1 → [5,6]',
        inputs: [r([2, 18, 9])],
        call: (x) => F.fold(x, { outputSize: [5, 6], kernelSize: 3, stride: 2, padding: 1 }),
      },
      {
        label: 'dilation 2, kernel [2,1] → 4×3',
        inputs: [r([1, 6, 6])],
        call: (x) => F.fold(x, { outputSize: [4, 3], kernelSize: [2, 1], dilation: 2 }),
      },
    ],
    errors: () => [
      {
        label: 'wrong number of blocks',
        call: () =>
          F.fold(r([1, 18, 8]), { outputSize: [5, 6], kernelSize: 3, stride: 2, padding: 1 }),
        message: /fold: input \[1,18,8\] has 8 blocks but outputSize \[5,6\] holds 9 \(3×3\)/,
      },
      {
        label: 'rows not a multiple of the kernel',
        call: () =>
          F.fold(r([1, 10, 9]), { outputSize: [5, 6], kernelSize: 3, stride: 2, padding: 1 }),
        message:
          /fold: dim 1 of input \[1,10,9\] must be a multiple of the 9 positions of kernelSize \[3,3\], got 10/,
      },
    ],
  },
  {
    name: 'linear',
    samples: () => [
      {
        label: '2-D input',
        inputs: [r([3, 5]), r([4, 5]), r([4])],
        call: (x, w, b) => F.linear(x, w, b),
      },
      {
        label: '3-D input, no bias',
        inputs: [r([2, 3, 5]), r([4, 5])],
        call: (x, w) => F.linear(x, w),
      },
      {
        label: '1-D input',
        inputs: [r([5]), r([3, 5]), r([3])],
        call: (x, w, b) => F.linear(x, w, b),
      },
      {
        label: 'fused relu',
        inputs: [r([6, 5]), r([4, 5]), r([4])],
        call: (x, w, b) => F.linear(x, w, b, { activation: 'relu' }),
      },
      {
        // Inputs scaled so that some outputs pass 6 and the upper bound's gate is exercised too.
        label: 'fused relu6, 3-D input, no bias',
        inputs: [r([2, 3, 5]), r([4, 5])],
        call: (x, w) => F.linear(F.mul(x, 4), w, null, { activation: 'relu6' }),
      },
    ],
    errors: () => [
      {
        label: 'an activation that does not fuse',
        call: () => F.linear(r([2, 5]), r([3, 5]), null, { activation: 'gelu' as 'relu' }),
        message: /^linear: activation must be 'relu' or 'relu6' \(or left out\), got 'gelu'$/,
      },
      {
        label: 'in_features differ',
        call: () => F.linear(r([2, 7]), r([3, 5])),
        message:
          /^linear: input has 7 features \(last dim of \[2,7\]\) but weight expects 5 \(weight shape \[3,5\]\); if the input comes from a Flatten, the layer needs inFeatures = 7: Linear\(7, 3\)$/,
      },
      {
        label: 'image input to a layer that needs other features',
        call: () => F.linear(r([2, 32, 7, 7]), r([10, 1000])),
        message:
          /linear: input has 7 features .* did you forget flatten\? flatten\(x, 1\) gives 1568 features \(32·7·7\), so the layer would need weight \[10, 1568\] \(inFeatures = 1568\)/,
      },
      {
        label: 'image input to a layer that fits it flattened',
        call: () => F.linear(r([2, 32, 7, 7]), r([10, 1568])),
        message:
          /linear: input has 7 features .* did you forget flatten\? flatten\(x, 1\) gives \[2, 1568\], which fits this weight/,
      },
      {
        label: 'bias of the wrong size',
        call: () => F.linear(r([2, 5]), r([3, 5]), r([5])),
        message: /linear: bias must be a float64 tensor of shape \[3\] .* got float64 \[5\]/,
      },
      {
        label: 'int32 input',
        call: () => F.linear(zeros([2, 5], { dtype: 'int32' }), r([3, 5])),
        message: /linear: input must be a floating-point tensor, got int32/,
      },
    ],
  },
];
