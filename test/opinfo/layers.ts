import { Flatten, Sequential } from '../../src/nn/layers/container.js';
import { Conv2d } from '../../src/nn/layers/conv.js';
import { ReLU } from '../../src/nn/layers/activation.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { randn, zeros } from '../../src/tensor/create.js';
import type { ErrorCase, OpInfo } from './types.js';

/**
 * Bad calls of layers, as users make them: channels-last images, integer pixels, a Linear whose
 * inFeatures does not match the Flatten before it. Each message names the op (and, inside a
 * Sequential, the layer), the expected and actual shapes, and the fix. Layers have no samples
 * here: their ops are gradient-checked under their own names.
 */
function conv2dLayerErrors(): ErrorCase[] {
  const mnistConv = () => new Conv2d(1, 8, 3);
  return [
    {
      label: 'MNIST batch in NHWC [N,28,28,1] given to Conv2d(1, 8, 3)',
      call: () => mnistConv().forward(randn([4, 28, 28, 1])),
      message:
        /^conv2d: input \[4,28,28,1\] looks channels-last: its last dim is 1, the channels weight \[8,1,3,3\] expects, but dim 1 is 28; fovea is channels-first \[N, C, H, W\], convert with x\.permute\(\[0, 3, 1, 2\]\)$/,
    },
    {
      label: 'RGB batch in NHWC given to Conv2d(3, 16, 3)',
      call: () => new Conv2d(3, 16, 3).forward(randn([2, 32, 32, 3])),
      message: /input \[2,32,32,3\] looks channels-last.*x\.permute\(\[0, 3, 1, 2\]\)/,
    },
    {
      label: 'uint8 pixels given to Conv2d',
      call: () => mnistConv().forward(zeros([2, 1, 28, 28], { dtype: 'uint8' })),
      message:
        /^conv2d: input must be a floating-point tensor, got uint8 \(convert with \.float\(\)\)$/,
    },
    {
      label: 'int32 tensor given to Conv2d',
      call: () => mnistConv().forward(zeros([2, 1, 28, 28], { dtype: 'int32' })),
      message:
        /^conv2d: input must be a floating-point tensor, got int32 \(convert with \.float\(\)\)$/,
    },
    {
      label: 'one image [C,H,W] without its batch dimension',
      call: () => mnistConv().forward(randn([1, 28, 28])),
      message:
        /^conv2d: expected input of 4 dimensions \[N, C, H, W\], got shape \[1,28,28\]; for a single image use x\.unsqueeze\(0\)$/,
    },
    {
      label: 'greyscale images given to an RGB Conv2d',
      call: () => new Conv2d(3, 8, 3).forward(randn([2, 1, 28, 28])),
      message: /^conv2d: input has 1 channels but weight expects 3 \(weight shape \[8,3,3,3\]\)$/,
    },
    {
      label: 'image smaller than the kernel',
      call: () => new Conv2d(1, 8, 5).forward(randn([2, 1, 3, 3])),
      message:
        /^conv2d: kernel \[5,5\] with dilation \[1,1\] spans \[5,5\], larger than the padded input \[3,3\]/,
    },
    {
      label: 'NHWC inside a Sequential names the layer',
      call: () => new Sequential(new Conv2d(1, 8, 3), new ReLU()).forward(randn([2, 28, 28, 1])),
      message: /x\.permute\(\[0, 3, 1, 2\]\) \(in layer 0: Conv2d\(1, 8, kernelSize=\[3, 3\]/,
    },
    {
      label: 'nested Sequential gives the layer path',
      call: () =>
        new Sequential(new Sequential(new ReLU(), new Conv2d(3, 8, 3))).forward(
          randn([2, 1, 8, 8]),
        ),
      message: /input has 1 channels but weight expects 3 .*\(in layer 0\.1: Conv2d\(3, 8/,
    },
  ];
}

function linearLayerErrors(): ErrorCase[] {
  return [
    {
      label: 'Flatten → Linear with the wrong inFeatures says the inFeatures needed',
      call: () =>
        new Sequential(new Conv2d(1, 8, 3), new Flatten(), new Linear(100, 10)).forward(
          randn([2, 1, 28, 28]),
        ),
      message:
        /^linear: input has 5408 features \(last dim of \[2,5408\]\) but weight expects 100 \(weight shape \[10,100\]\); if the input comes from a Flatten, the layer needs inFeatures = 5408: Linear\(5408, 10\) \(in layer 2: Linear\(inFeatures=100, outFeatures=10, bias=true\)\)$/,
    },
    {
      label: 'images given to Linear without a Flatten',
      call: () => new Linear(784, 10).forward(randn([2, 1, 28, 28])),
      message: /did you forget flatten\? flatten\(x, 1\) gives \[2, 784\], which fits this weight/,
    },
    {
      label: 'int32 features given to Linear',
      call: () => new Linear(4, 2).forward(zeros([3, 4], { dtype: 'int32' })),
      message:
        /^linear: input must be a floating-point tensor, got int32 \(convert with \.float\(\)\)$/,
    },
  ];
}

/** Layer-level entries of the OpInfo table (errors only). */
export const layerOps: OpInfo[] = [
  { name: 'Conv2d (layer)', samples: () => [], errors: conv2dLayerErrors },
  { name: 'Linear (layer)', samples: () => [], errors: linearLayerErrors },
];
