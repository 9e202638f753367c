import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Flatten,
  ReLU,
  adaptiveAvgPool2d,
  Upsample,
  Softsign,
  Softmax,
  Sequential,
  ReLU6,
  PReLU,
  Mish,
  LogSigmoid,
  Hardtanh,
  GELU,
  Dropout2d,
  CELU,
  AlphaDropout,
  adaptiveMaxPool3d,
  avgPool1d,
  BatchNorm2d,
  clamp,
  concat,
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  dropout,
  elu,
  exp,
  expand,
  exportOnnx,
  FoveaError,
  FusedLayer,
  gelu,
  gt,
  GroupNorm,
  hardsigmoid,
  hardswish,
  InstanceNorm1d,
  indexSelect,
  interpolate,
  LayerNorm,
  leakyRelu,
  Linear,
  localResponseNorm,
  log1p,
  logSoftmax,
  lpPool2d,
  max,
  maxPool3d,
  MaxPool2d,
  mean,
  Module,
  pad,
  PixelShuffle,
  relu,
  selu,
  sigmoid,
  silu,
  slice,
  softmax,
  softplus,
  sum,
  tanh,
  tensor,
  unfold,
  where,
  type Tensor,
} from '../../src/index.js';
import { randomizeState, worstDiffVsOrt } from './export-helpers.js';

/** A block with a residual add, a depthwise conv, GroupNorm and a concat of two branches. */
class ResidualConcat extends Module {
  stem = new Conv2d(3, 8, 3, { padding: 1 });
  depthwise = new Conv2d(8, 8, 3, { padding: 1, groups: 8 });
  norm = new GroupNorm(4, 8);
  branch = new Conv2d(8, 8, 1);
  fuse = new Conv2d(16, 8, 3, { padding: 1, paddingMode: 'reflect' });
  head = new Linear(8 * 2 * 2, 5);

  forward(x: Tensor): Tensor {
    const a = relu(this.stem.forward(x));
    const b = leakyRelu(this.norm.forward(this.depthwise.forward(a)), { negativeSlope: 0.2 });
    const merged = concat([a.add(b), silu(this.branch.forward(b))], 1);
    const y = hardswish(this.fuse.forward(merged));
    return logSoftmax(this.head.forward(adaptiveAvgPool2d(y, 2).flatten(1)), 1);
  }
}

/** An encoder-decoder: strided conv down, ConvTranspose and bilinear/nearest interpolation up. */
class UpDown extends Module {
  down = new Conv2d(2, 6, 3, { stride: 2, padding: 1 });
  bn = new BatchNorm2d(6);
  pool = new MaxPool2d(2, { ceilMode: false });
  up = new ConvTranspose2d(6, 4, 3, { stride: 2, padding: 1, outputPadding: 1 });
  shuffle = new PixelShuffle(2);
  out = new Conv2d(2 + 4 + 1, 3, 1);

  forward(x: Tensor): Tensor {
    const normalized = localResponseNorm(this.bn.forward(this.down.forward(x)), 3, { k: 2 });
    const d = gelu(normalized); // [N, 6, 8, 8]
    const up = this.up.forward(d); // [N, 4, 16, 16]
    const coarse = interpolate(this.pool.forward(d), { scaleFactor: 4, mode: 'nearest' }); // [N, 6, 16, 16]
    const smooth = interpolate(coarse, { size: [16, 16], mode: 'bilinear' });
    const shuffled = this.shuffle.forward(slice(smooth, 1, 0, 4)); // [N, 1, 32, 32]
    const cropped = pad(shuffled, [-8, -8, -8, -8]); // [N, 1, 16, 16]
    return this.out.forward(concat([x, up, cropped], 1));
  }
}

/** Tokens: a permute to channels-last, LayerNorm, a matmul-based linear and a softmax. */
class Tokens extends Module {
  conv = new Conv2d(3, 8, 4, { stride: 4 });
  norm = new LayerNorm(8);
  proj = new Linear(8, 8);

  forward(x: Tensor): Tensor {
    const tokens = this.conv.forward(x).flatten(2).permute([0, 2, 1]); // [N, 16, 8]
    const attended = softmax(this.proj.forward(this.norm.forward(tokens)), -1);
    return mean(attended.mul(tokens), 1);
  }
}

/** Sequences: conv1d, avgPool1d, linear interpolation, InstanceNorm1d, ELU, ConvTranspose1d, SELU. */
class Signals extends Module {
  conv = new Conv1d(2, 4, 3, { padding: 1 });
  norm = new InstanceNorm1d(4, { affine: true });
  up = new ConvTranspose1d(4, 3, 2, { stride: 2 });

  forward(x: Tensor): Tensor {
    const pooled = avgPool1d(this.conv.forward(x), { kernelSize: 2 });
    const stretched = interpolate(pooled, { size: 11, mode: 'linear', alignCorners: true });
    return selu(this.up.forward(elu(this.norm.forward(stretched), { alpha: 0.5 })));
  }
}

/** Volumes: conv3d, maxPool3d, trilinear interpolation, adaptiveMaxPool3d to 1×1×1. */
class Volumes extends Module {
  conv = new Conv3d(1, 4, 3, { padding: 1, stride: [1, 2, 2] });

  forward(x: Tensor): Tensor {
    const pooled = maxPool3d(this.conv.forward(x), { kernelSize: 2, padding: 1, stride: 2 });
    const finer = interpolate(pooled, { scaleFactor: [1, 1.5, 2], mode: 'trilinear' });
    return adaptiveMaxPool3d(relu(finer), 1).flatten(1);
  }
}

/** Elementwise ops, comparisons, reductions with keepdim, expand, Lp pooling, indexSelect. */
class Elementwise extends Module {
  conv = new Conv2d(3, 4, 1);

  forward(x: Tensor): Tensor {
    const y = this.conv.forward(x);
    const mixed = where(gt(y, 0.5), exp(y.neg()), log1p(y.abs()));
    const smooth = softplus(clamp(y, -1, 1))
      .add(hardsigmoid(mixed))
      .mul(sigmoid(y))
      .sub(tanh(y));
    const totals = expand(sum(smooth, [2, 3], true), smooth.shape);
    const peaks = expand(max(smooth, 1, true), smooth.shape);
    const picked = indexSelect(smooth, 1, tensor([3, 0, -1], { dtype: 'int32' }));
    return concat(
      [smooth.add(totals).div(peaks.add(2)), lpPool2d(smooth, 2, { kernelSize: 1 }), picked],
      1,
    );
  }
}

/** A hand-written group norm: reshapes that fold the batch into dim 0 and back. */
class FoldedBatch extends Module {
  conv = new Conv2d(2, 4, 3, { padding: 1 });

  forward(x: Tensor): Tensor {
    const y = this.conv.forward(x);
    const groups = y.reshape([y.shape[0] * 2, -1]); // [N·2, 2·H·W]
    const centered = groups.sub(mean(groups, 1, true));
    return centered.reshape(y.shape).add(y);
  }
}

/** Every activation layer, with dropout layers (identity in eval) and Upsample between them. */
function activations(): Module {
  return new Sequential(
    new Conv2d(3, 4, 3, { padding: 1 }),
    new PReLU(4),
    new Mish(),
    new Dropout2d(0.3),
    new GELU('tanh'),
    new CELU(0.7),
    new ReLU6(),
    new Hardtanh(-0.5, 0.5),
    new Softsign(),
    new LogSigmoid(),
    new AlphaDropout(0.2),
    new Upsample({ scaleFactor: 2, mode: 'bicubic', alignCorners: true }),
    new Upsample({ size: [9, 9], mode: 'nearest-exact' }),
    new Softmax(1),
  );
}

/**
 * Convs and Linears with the activation option (Relu, Clip after the Conv or Gemm) and
 * FusedLayers from fuse().
 */
function fusedActivations(): Module {
  return new Sequential(
    new Conv2d(3, 4, 3, { padding: 1, activation: 'relu' }),
    new Conv2d(4, 4, 3, { groups: 2, activation: 'relu6' }),
    new FusedLayer(new Conv2d(4, 3, 1), new ReLU6()),
    new Flatten(),
    new Linear(3 * 5 * 5, 16, { activation: 'relu6' }),
    new FusedLayer(new Linear(16, 8), new ReLU()),
    new Linear(8, 5, { activation: 'relu' }),
  );
}

const userModels: [string, () => Module, number[]][] = [
  [
    'residual adds, concat, depthwise conv, GroupNorm, reflect padding',
    () => new ResidualConcat(),
    [3, 12, 12],
  ],
  [
    'ConvTranspose, interpolate, pixel shuffle, crop, BatchNorm, LRN',
    () => new UpDown(),
    [2, 16, 16],
  ],
  ['permute, LayerNorm, linear on 3-D input, softmax, mean', () => new Tokens(), [3, 16, 16]],
  [
    'conv1d, avgPool1d, linear interpolate, InstanceNorm1d, ConvTranspose1d, ELU, SELU',
    () => new Signals(),
    [2, 16],
  ],
  [
    'conv3d, maxPool3d with padding, trilinear interpolate, adaptiveMaxPool3d',
    () => new Volumes(),
    [1, 6, 8, 8],
  ],
  [
    'where, comparisons, clamp, reductions, expand, Lp pooling, indexSelect',
    () => new Elementwise(),
    [3, 5, 5],
  ],
  ['reshapes that fold the batch into dim 0 and back', () => new FoldedBatch(), [2, 6, 6]],
  [
    'activation layers, eval-mode dropout, bicubic and nearest-exact Upsample',
    activations,
    [3, 5, 5],
  ],
  [
    'convs and linears with fused ReLU and ReLU6 (activation option, FusedLayer)',
    fusedActivations,
    [3, 7, 7],
  ],
];

describe('exportOnnx: user models with custom forward', () => {
  for (const [what, make, shape] of userModels) {
    it(`${what}: ONNX Runtime matches within 1e-5 of the output scale`, async (t) => {
      const model = make();
      randomizeState(model);
      const bytes = exportOnnx(model, { inputShape: shape });
      const diff = await worstDiffVsOrt(model, bytes, shape);
      t.diagnostic(`relative max diff ${diff.toExponential(2)}`);
      assert.ok(diff <= 1e-5, `relative max diff ${diff}`);
    });
  }

  const opsets: [number, string, () => Module, number[]][] = [
    [13, 'HardSwish as Mul + HardSigmoid', () => new ResidualConcat(), [3, 12, 12]],
    [13, 'ReduceMax axes as an attribute', () => new Elementwise(), [3, 5, 5]],
    [18, 'every reduction with axes as an input', () => new Elementwise(), [3, 5, 5]],
    [18, 'LayerNormalization, ReduceMean', () => new Tokens(), [3, 16, 16]],
    [21, 'the newest opset ONNX Runtime 1.30 runs', () => new UpDown(), [2, 16, 16]],
  ];
  for (const [opset, what, make, shape] of opsets) {
    it(`exports at opset ${opset}: ${what}`, async () => {
      const model = make();
      randomizeState(model);
      const bytes = exportOnnx(model, { inputShape: shape, opset });
      assert.ok((await worstDiffVsOrt(model, bytes, shape)) <= 1e-5);
    });
  }

  it('refuses a functional dropout left in training mode', () => {
    class Leaky extends Module {
      forward(x: Tensor): Tensor {
        return dropout(x, { p: 0.5 });
      }
    }
    assert.throws(() => exportOnnx(new Leaky(), { inputShape: [4] }), /training: this.training/);
  });

  it('says which opset LayerNorm needs', () => {
    assert.throws(
      () => exportOnnx(new Tokens(), { inputShape: [3, 16, 16], opset: 13 }),
      /op 'layerNorm' needs opset 17 or later/,
    );
  });

  it('names an op with no ONNX export', () => {
    class Patches extends Module {
      forward(x: Tensor): Tensor {
        return unfold(x, { kernelSize: 2 });
      }
    }
    assert.throws(
      () => exportOnnx(new Patches(), { inputShape: [1, 4, 4] }),
      (e: unknown) => e instanceof FoveaError && /op 'unfold' has no ONNX export/.test(e.message),
    );
  });

  it('explains adaptive pooling that has no fixed-window equivalent', () => {
    class Odd extends Module {
      forward(x: Tensor): Tensor {
        return adaptiveAvgPool2d(x, 3);
      }
    }
    assert.throws(
      () => exportOnnx(new Odd(), { inputShape: [1, 7, 7] }),
      /adaptiveAvgPool' has no ONNX export for input size \[7,7\] and output size \[3,3\]/,
    );
  });
});
