import * as F from '../../src/index.js';
import { randn, type Tensor } from '../../src/index.js';
import type { OpInfo, Sample } from './types.js';

const r = (shape: number[]) => randn(shape, { dtype: 'float64' });

/** interpolate configurations: input shape and options (labels are built from them). */
const interpolateCases: [number[], F.InterpolateOptions][] = [
  // nearest: size and scaleFactor (including the shortcuts for equal and doubled sizes), 3-5-D
  [[1, 2, 5], { size: 8 }],
  [[1, 2, 7], { size: 3 }],
  [[1, 2, 5, 7], { scaleFactor: 1.7 }],
  [[1, 2, 5, 7], { size: [3, 2] }],
  [[1, 1, 3, 5], { scaleFactor: [2.1, 1.1] }],
  [[1, 1, 2, 3, 2], { scaleFactor: 2 }],
  [[1, 1, 3, 4, 5], { size: [5, 2, 3] }],
  [[1, 2, 5, 6], { mode: 'nearest-exact', scaleFactor: [0.6, 1.5] }],
  [[1, 1, 3, 2, 4], { mode: 'nearest-exact', size: [4, 5, 3] }],
  // linear (3-D)
  [[2, 2, 5], { mode: 'linear', size: 9 }],
  [[2, 2, 7], { mode: 'linear', size: 3, alignCorners: true }],
  [[1, 3, 4], { mode: 'linear', scaleFactor: 2.5 }],
  [[1, 3, 5], { mode: 'linear', scaleFactor: 1.5, alignCorners: true }],
  [[1, 2, 6], { mode: 'linear', size: 1, alignCorners: true }],
  // bilinear (4-D)
  [[1, 2, 5, 7], { mode: 'bilinear', scaleFactor: 1.7 }],
  [[1, 2, 5, 7], { mode: 'bilinear', scaleFactor: 1.7, recomputeScaleFactor: true }],
  [[1, 2, 5, 6], { mode: 'bilinear', size: [7, 3], alignCorners: true }],
  [[2, 1, 5, 7], { mode: 'bilinear', size: [2, 3] }],
  [[1, 2, 4, 4], { mode: 'bilinear', size: [4, 9] }],
  // bicubic (4-D): up, down, odd sizes, both corner alignments, reaching past the border
  [[1, 2, 4, 5], { mode: 'bicubic', size: [7, 6] }],
  [[1, 2, 4, 5], { mode: 'bicubic', size: [7, 6], alignCorners: true }],
  [[1, 2, 7, 6], { mode: 'bicubic', size: [3, 2] }],
  [[1, 1, 5, 5], { mode: 'bicubic', scaleFactor: [0.6, 1.3], alignCorners: true }],
  [[1, 1, 2, 3], { mode: 'bicubic', scaleFactor: 3 }],
  // trilinear (5-D)
  [[1, 1, 3, 4, 2], { mode: 'trilinear', size: [5, 6, 3] }],
  [[1, 2, 3, 2, 3], { mode: 'trilinear', scaleFactor: 1.5, alignCorners: true }],
  [[1, 1, 5, 4, 3], { mode: 'trilinear', size: [2, 3, 3] }],
];

function interpolateLabel(shape: number[], options: F.InterpolateOptions): string {
  const parts = Object.entries({ mode: 'nearest', ...options }).map(
    ([key, value]) => `${key} ${Array.isArray(value) ? `[${value.join(',')}]` : String(value)}`,
  );
  return `[${shape.join(',')}] ${parts.join(', ')}`;
}

const x4 = () => r([1, 2, 5, 5]);

/** pixelShuffle / pixelUnshuffle configurations: input shape and factor. */
function shuffleSamples(
  call: (x: Tensor, factor: number) => Tensor,
  cases: [number[], number][],
): () => Sample[] {
  return () =>
    cases.map(([shape, factor]) => ({
      label: `[${shape.join(',')}] factor ${factor}`,
      inputs: [r(shape)],
      call: (x) => call(x, factor),
    }));
}

export const resampleOps: OpInfo[] = [
  {
    name: 'interpolate',
    samples: () =>
      interpolateCases.map(([shape, options]) => ({
        label: interpolateLabel(shape, options),
        inputs: [r(shape)],
        call: (x) => F.interpolate(x, options),
      })),
    errors: () => [
      {
        label: 'size and scaleFactor both given',
        call: () => F.interpolate(x4(), { size: 4, scaleFactor: 2 }),
        message: /interpolate: give exactly one of size and scaleFactor, got both/,
      },
      {
        label: 'neither size nor scaleFactor',
        call: () => F.interpolate(x4(), { mode: 'bilinear' }),
        message: /interpolate: give exactly one of size and scaleFactor, got neither/,
      },
      {
        label: 'bilinear on a 3-D input',
        call: () => F.interpolate(r([1, 2, 5]), { mode: 'bilinear', size: 4 }),
        message:
          /interpolate: mode 'bilinear' needs a 4-D input \[N, C, H, W\], got shape \[1,2,5\]/,
      },
      {
        label: 'trilinear on a 4-D input',
        call: () => F.interpolate(x4(), { mode: 'trilinear', size: 4 }),
        message:
          /interpolate: mode 'trilinear' needs a 5-D input \[N, C, D, H, W\], got shape \[1,2,5,5\]/,
      },
      {
        label: 'linear on a 5-D input',
        call: () => F.interpolate(r([1, 1, 2, 2, 2]), { mode: 'linear', size: 4 }),
        message:
          /interpolate: mode 'linear' needs a 3-D input \[N, C, W\], got shape \[1,1,2,2,2\]/,
      },
      {
        label: 'size of the wrong length',
        call: () => F.interpolate(x4(), { size: [3] }),
        message:
          /interpolate: size must have 2 entries, one per spatial dim of input \[1,2,5,5\], got \[3\]/,
      },
      {
        label: 'scaleFactor of the wrong length',
        call: () => F.interpolate(x4(), { scaleFactor: [2, 2, 2] }),
        message: /interpolate: scaleFactor must have 2 entries, .* got \[2, 2, 2\]/,
      },
      {
        label: 'alignCorners with nearest',
        call: () => F.interpolate(x4(), { size: 3, alignCorners: false }),
        message:
          /interpolate: alignCorners only applies to the linear and cubic modes, not to 'nearest'/,
      },
      {
        label: 'unknown mode',
        call: () => F.interpolate(x4(), { size: 3, mode: 'area' as F.InterpolateMode }),
        message: /interpolate: mode must be one of nearest, .*trilinear, got 'area'/,
      },
      {
        label: '2-D input',
        call: () => F.interpolate(r([5, 5]), { size: 3 }),
        message: /interpolate: expected input of 3 or 4 or 5 dimensions .* got shape \[5,5\]/,
      },
      {
        label: 'integer input with bilinear',
        call: () =>
          F.interpolate(F.zeros([1, 1, 2, 2], { dtype: 'int32' }), { size: 3, mode: 'bilinear' }),
        message: /interpolate: input must be a floating-point tensor, got int32/,
      },
      {
        label: 'scaleFactor that empties a dim',
        call: () => F.interpolate(x4(), { scaleFactor: 0.1 }),
        message:
          /interpolate: spatial sizes must be positive, got input \[1,2,5,5\] and output spatial size \[0,0\]/,
      },
      {
        label: 'non-positive scaleFactor',
        call: () => F.interpolate(x4(), { scaleFactor: [2, -1] }),
        message: /interpolate: scaleFactor must be positive numbers, got \[2, -1\]/,
      },
      {
        label: 'zero size',
        call: () => F.interpolate(x4(), { size: [0, 3] }),
        message: /interpolate: spatial sizes must be positive/,
      },
      {
        label: 'fractional size',
        call: () => F.interpolate(x4(), { size: [2.5, 3] }),
        message: /interpolate: size must be integers, got \[2.5, 3\]/,
      },
      {
        label: 'recomputeScaleFactor with size',
        call: () => F.interpolate(x4(), { size: 3, recomputeScaleFactor: true }),
        message: /interpolate: recomputeScaleFactor only applies with scaleFactor/,
      },
    ],
  },
  {
    name: 'pixelShuffle',
    samples: shuffleSamples(F.pixelShuffle, [
      [[2, 8, 2, 3], 2],
      [[9, 2, 1], 3],
      [[2, 1, 4, 2, 2], 2],
      [[1, 3, 2, 2], 1],
    ]),
    errors: () => [
      {
        label: 'channels not divisible by r²',
        call: () => F.pixelShuffle(r([1, 6, 2, 2]), 2),
        message:
          /pixelShuffle: channels \(6\) must be divisible by upscaleFactor² = 4, got input shape \[1,6,2,2\]/,
      },
      {
        label: '2-D input',
        call: () => F.pixelShuffle(r([4, 4]), 2),
        message:
          /pixelShuffle: expected input of at least 3 dimensions \(\[\*, C, H, W\]\), got shape \[4,4\]/,
      },
      {
        label: 'factor 0',
        call: () => F.pixelShuffle(r([1, 4, 2, 2]), 0),
        message: /pixelShuffle: upscaleFactor must be a positive integer, got 0/,
      },
    ],
  },
  {
    name: 'pixelUnshuffle',
    samples: shuffleSamples(F.pixelUnshuffle, [
      [[1, 2, 4, 6], 2],
      [[2, 3, 3], 3],
      [[2, 1, 1, 4, 2], 2],
    ]),
    errors: () => [
      {
        label: 'height not divisible by r',
        call: () => F.pixelUnshuffle(r([1, 1, 5, 4]), 2),
        message:
          /pixelUnshuffle: height \(5\) and width \(4\) must be divisible by downscaleFactor = 2, got input shape \[1,1,5,4\]/,
      },
      {
        label: 'fractional factor',
        call: () => F.pixelUnshuffle(r([1, 1, 4, 4]), 1.5),
        message: /pixelUnshuffle: downscaleFactor must be a positive integer, got 1.5/,
      },
    ],
  },
];
