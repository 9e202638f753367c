/**
 * Every layer case of test/fixtures/nn/layers.json (made by scripts/make-nn-layer-fixtures.py),
 * keyed by its PyTorch constructor call, with the fovea layer that call corresponds to.
 */
import * as nn from '../../src/nn/index.js';

export const layers: Record<string, () => nn.Module> = {
  // convolutions
  'Conv1d(4, 8, 5, groups=2, bias=False)': () => new nn.Conv1d(4, 8, 5, { groups: 2, bias: false }),
  "Conv1d(3, 4, 3, padding='same', padding_mode='circular')": () =>
    new nn.Conv1d(3, 4, 3, { padding: 'same', paddingMode: 'circular' }),
  'Conv2d(3, 8, 3, stride=2, padding=1)': () => new nn.Conv2d(3, 8, 3, { stride: 2, padding: 1 }),
  "Conv2d(4, 6, (3, 2), padding=(2, 1), dilation=(2, 1), groups=2, padding_mode='reflect')": () =>
    new nn.Conv2d(4, 6, [3, 2], {
      padding: [2, 1],
      dilation: [2, 1],
      groups: 2,
      paddingMode: 'reflect',
    }),
  "Conv2d(2, 3, 3, padding=1, padding_mode='replicate')": () =>
    new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: 'replicate' }),
  "Conv2d(4, 4, 3, padding='same', groups=4, bias=False)": () =>
    new nn.Conv2d(4, 4, 3, { padding: 'same', groups: 4, bias: false }),
  'Conv2d(3, 2, 1)': () => new nn.Conv2d(3, 2, 1),
  'Conv3d(2, 4, (3, 1, 3))': () => new nn.Conv3d(2, 4, [3, 1, 3]),
  'ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1)': () =>
    new nn.ConvTranspose1d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  'ConvTranspose2d(8, 4, 2, stride=2, groups=2)': () =>
    new nn.ConvTranspose2d(8, 4, 2, { stride: 2, groups: 2 }),
  'ConvTranspose2d(3, 2, 3, stride=2, padding=1, dilation=2, bias=False)': () =>
    new nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, dilation: 2, bias: false }),
  'ConvTranspose3d(2, 3, 2, stride=2)': () => new nn.ConvTranspose3d(2, 3, 2, { stride: 2 }),
  // pooling
  'MaxPool1d(3, stride=2, padding=1)': () => new nn.MaxPool1d(3, { stride: 2, padding: 1 }),
  'MaxPool2d(2)': () => new nn.MaxPool2d(2),
  'MaxPool2d(3, stride=2, padding=1, ceil_mode=True)': () =>
    new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
  'MaxPool2d((2, 3), stride=1, dilation=(2, 1))': () =>
    new nn.MaxPool2d([2, 3], { stride: 1, dilation: [2, 1] }),
  'MaxPool3d(2, stride=1)': () => new nn.MaxPool3d(2, { stride: 1 }),
  'AvgPool1d(3, stride=2, padding=1)': () => new nn.AvgPool1d(3, { stride: 2, padding: 1 }),
  'AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)': () =>
    new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  'AvgPool2d(2, divisor_override=3)': () => new nn.AvgPool2d(2, { divisorOverride: 3 }),
  'AvgPool3d(2)': () => new nn.AvgPool3d(2),
  'AdaptiveAvgPool1d(3)': () => new nn.AdaptiveAvgPool1d(3),
  'AdaptiveAvgPool2d(1)': () => new nn.AdaptiveAvgPool2d(1),
  'AdaptiveAvgPool2d((3, None))': () => new nn.AdaptiveAvgPool2d([3, null]),
  'AdaptiveAvgPool3d((1, 2, 3))': () => new nn.AdaptiveAvgPool3d([1, 2, 3]),
  'AdaptiveMaxPool1d(3)': () => new nn.AdaptiveMaxPool1d(3),
  'AdaptiveMaxPool2d((2, 3))': () => new nn.AdaptiveMaxPool2d([2, 3]),
  'AdaptiveMaxPool3d(2)': () => new nn.AdaptiveMaxPool3d(2),
  'LPPool1d(2, 3, stride=2)': () => new nn.LPPool1d(2, 3, { stride: 2 }),
  'LPPool2d(4, 2)': () => new nn.LPPool2d(4, 2),
  // normalization
  'BatchNorm1d(5)': () => new nn.BatchNorm1d(5),
  'BatchNorm1d(4)': () => new nn.BatchNorm1d(4),
  'BatchNorm1d(5, momentum=None)': () => new nn.BatchNorm1d(5, { momentum: null }),
  'BatchNorm2d(4)': () => new nn.BatchNorm2d(4),
  'BatchNorm2d(4, eps=0.001, momentum=0.3)': () =>
    new nn.BatchNorm2d(4, { eps: 0.001, momentum: 0.3 }),
  'BatchNorm2d(3, affine=False)': () => new nn.BatchNorm2d(3, { affine: false }),
  'BatchNorm2d(3, track_running_stats=False)': () =>
    new nn.BatchNorm2d(3, { trackRunningStats: false }),
  'BatchNorm3d(2)': () => new nn.BatchNorm3d(2),
  'GroupNorm(2, 6)': () => new nn.GroupNorm(2, 6),
  'GroupNorm(3, 6, eps=0.001, affine=False)': () =>
    new nn.GroupNorm(3, 6, { eps: 0.001, affine: false }),
  'LayerNorm([4, 4])': () => new nn.LayerNorm([4, 4]),
  'LayerNorm(5, eps=0.001, elementwise_affine=False)': () =>
    new nn.LayerNorm(5, { eps: 0.001, elementwiseAffine: false }),
  'InstanceNorm1d(3)': () => new nn.InstanceNorm1d(3),
  'InstanceNorm2d(3, affine=True)': () => new nn.InstanceNorm2d(3, { affine: true }),
  'InstanceNorm2d(3, track_running_stats=True)': () =>
    new nn.InstanceNorm2d(3, { trackRunningStats: true }),
  'InstanceNorm3d(2, affine=True)': () => new nn.InstanceNorm3d(2, { affine: true }),
  'LocalResponseNorm(3)': () => new nn.LocalResponseNorm(3),
  'LocalResponseNorm(2, alpha=0.01, beta=0.5, k=2.0)': () =>
    new nn.LocalResponseNorm(2, { alpha: 0.01, beta: 0.5, k: 2 }),
  // dropout
  'Dropout(0.3)': () => new nn.Dropout(0.3),
  'Dropout1d(0.5)': () => new nn.Dropout1d(0.5),
  'Dropout2d()': () => new nn.Dropout2d(),
  'Dropout3d(0.2)': () => new nn.Dropout3d(0.2),
  'AlphaDropout(0.2)': () => new nn.AlphaDropout(0.2),
  'FeatureAlphaDropout(0.2)': () => new nn.FeatureAlphaDropout(0.2),
  // resampling
  'Upsample(scale_factor=2)': () => new nn.Upsample({ scaleFactor: 2 }),
  "Upsample(size=(5, 4), mode='bilinear', align_corners=True)": () =>
    new nn.Upsample({ size: [5, 4], mode: 'bilinear', alignCorners: true }),
  "Upsample(scale_factor=1.5, mode='bicubic')": () =>
    new nn.Upsample({ scaleFactor: 1.5, mode: 'bicubic' }),
  "Upsample(scale_factor=2, mode='linear')": () =>
    new nn.Upsample({ scaleFactor: 2, mode: 'linear' }),
  "Upsample(size=(3, 4, 2), mode='trilinear')": () =>
    new nn.Upsample({ size: [3, 4, 2], mode: 'trilinear' }),
  "Upsample(scale_factor=(2, 1.5), mode='nearest-exact')": () =>
    new nn.Upsample({ scaleFactor: [2, 1.5], mode: 'nearest-exact' }),
  'PixelShuffle(2)': () => new nn.PixelShuffle(2),
  'PixelUnshuffle(2)': () => new nn.PixelUnshuffle(2),
  // activations
  'ReLU()': () => new nn.ReLU(),
  'ReLU6()': () => new nn.ReLU6(),
  'LeakyReLU()': () => new nn.LeakyReLU(),
  'LeakyReLU(0.2)': () => new nn.LeakyReLU(0.2),
  'PReLU()': () => new nn.PReLU(),
  'PReLU(3, init=0.1)': () => new nn.PReLU(3, 0.1),
  'ELU(alpha=0.5)': () => new nn.ELU(0.5),
  'SELU()': () => new nn.SELU(),
  'CELU(2.0)': () => new nn.CELU(2),
  'GELU()': () => new nn.GELU(),
  "GELU(approximate='tanh')": () => new nn.GELU('tanh'),
  'SiLU()': () => new nn.SiLU(),
  'Mish()': () => new nn.Mish(),
  'Hardswish()': () => new nn.Hardswish(),
  'Hardsigmoid()': () => new nn.Hardsigmoid(),
  'Hardtanh(-2, 2)': () => new nn.Hardtanh(-2, 2),
  'Sigmoid()': () => new nn.Sigmoid(),
  'Tanh()': () => new nn.Tanh(),
  'Softplus(beta=2, threshold=5)': () => new nn.Softplus(2, 5),
  'Softsign()': () => new nn.Softsign(),
  'LogSigmoid()': () => new nn.LogSigmoid(),
  'Softmax(dim=1)': () => new nn.Softmax(1),
  'Softmax(dim=-1)': () => new nn.Softmax(-1),
  'LogSoftmax(dim=1)': () => new nn.LogSoftmax(1),
  // linear and containers
  'Linear(10, 5)': () => new nn.Linear(10, 5),
  'Linear(6, 3, bias=False)': () => new nn.Linear(6, 3, { bias: false }),
  'Identity()': () => new nn.Identity(),
  'Flatten()': () => new nn.Flatten(),
  'Flatten(0, 1)': () => new nn.Flatten(0, 1),
  'Sequential(Conv2d(2, 4, 3, padding=1), BatchNorm2d(4), ReLU(), MaxPool2d(2), Flatten(), Linear(16, 3))':
    () =>
      new nn.Sequential(
        new nn.Conv2d(2, 4, 3, { padding: 1 }),
        new nn.BatchNorm2d(4),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Flatten(),
        new nn.Linear(16, 3),
      ),
  'Residual(Sequential(Conv2d(4, 4, 3, padding=1), ReLU()))': () =>
    new nn.Residual(new nn.Sequential(new nn.Conv2d(4, 4, 3, { padding: 1 }), new nn.ReLU())),
  'Residual(Conv2d(2, 4, 3, padding=1), Conv2d(2, 4, 1, bias=False))': () =>
    new nn.Residual(
      new nn.Conv2d(2, 4, 3, { padding: 1 }),
      new nn.Conv2d(2, 4, 1, { bias: false }),
    ),
  'DepthwiseSeparableConv2d(4, 8, 3, stride=2)': () =>
    new nn.DepthwiseSeparableConv2d(4, 8, 3, { stride: 2 }),
  'DepthwiseSeparableConv2d(3, 4, 5, padding=1, bias=True, norm=False, activation=ReLU6)': () =>
    new nn.DepthwiseSeparableConv2d(3, 4, 5, {
      padding: 1,
      bias: true,
      norm: false,
      activation: () => new nn.ReLU6(),
    }),
  'DepthwiseSeparableConv2d(2, 3, 3, activation=None)': () =>
    new nn.DepthwiseSeparableConv2d(2, 3, 3, { activation: null }),
};

/**
 * Where fovea's toString knowingly differs from PyTorch's repr (after the mechanical translation
 * of names and literals in layers.test.ts), with the reason.
 */
export const reprDifferences: Record<string, { repr: string; why: string }> = {
  'AvgPool1d(3, stride=2, padding=1)': {
    repr: 'AvgPool1d(kernelSize=3, stride=2, padding=1)',
    why: 'PyTorch turns only AvgPool1d arguments into 1-tuples; fovea prints every pool as given',
  },
};
