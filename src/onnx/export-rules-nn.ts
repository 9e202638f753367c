/**
 * ONNX export rules of the neural-network ops: convolutions, pooling, normalization, activations,
 * softmax, linear, resampling and dropout.
 */
import {
  activated,
  attr,
  exportError,
  inputOrFill,
  inputTensor,
  outputType,
  type ExportContext,
  type ExportRule,
} from './export-context.js';
import { OnnxDataType } from './proto.js';

const float = (value: number) => ({ float: value });

/** The bias as a third input when given. */
function withBias(ctx: ExportContext, inputs: string[]): string[] {
  return ctx.has(2) ? [...inputs, ctx.input(2)] : inputs;
}

const conv: ExportRule = (ctx) => {
  const weight = inputTensor(ctx, 1);
  const y = ctx.graph.op('Conv', withBias(ctx, [ctx.input(0), ctx.input(1)]), {
    kernel_shape: weight.shape.slice(2),
    strides: attr(ctx, 'stride'),
    dilations: attr(ctx, 'dilation'),
    group: attr(ctx, 'groups'),
    pads: attr(ctx, 'pads'),
  });
  return activated(ctx, y);
};

const convTranspose: ExportRule = (ctx) => {
  const weight = inputTensor(ctx, 1);
  const padding = attr<number[]>(ctx, 'padding');
  return ctx.graph.op('ConvTranspose', withBias(ctx, [ctx.input(0), ctx.input(1)]), {
    kernel_shape: weight.shape.slice(2),
    strides: attr(ctx, 'stride'),
    dilations: attr(ctx, 'dilation'),
    group: attr(ctx, 'groups'),
    pads: [...padding, ...padding],
    output_padding: attr(ctx, 'outputPadding'),
  });
};

/** Checks that pooling got a batched input [N, C, ...spatial]. */
function checkBatched(ctx: ExportContext, spatialDims: number): void {
  const x = inputTensor(ctx, 0);
  if (x.ndim !== spatialDims + 2) {
    throw exportError(
      ctx,
      `needs a batched input [N, C, ...spatial], got shape [${x.shape.join(',')}]`,
    );
  }
}

/** kernel_shape, strides, pads and ceil_mode of a sliding-window pooling. */
function windowAttributes(ctx: ExportContext) {
  const kernel = attr<number[]>(ctx, 'kernel');
  checkBatched(ctx, kernel.length);
  const padding = attr<number[]>(ctx, 'padding');
  return {
    kernel_shape: kernel,
    strides: attr<number[]>(ctx, 'stride'),
    pads: [...padding, ...padding],
    ceil_mode: attr<boolean>(ctx, 'ceilMode') ? 1 : 0,
  };
}

const maxPool: ExportRule = (ctx) =>
  ctx.graph.op('MaxPool', [ctx.input(0)], {
    ...windowAttributes(ctx),
    dilations: attr(ctx, 'dilation'),
  });

const avgPool: ExportRule = (ctx) => {
  if (attr(ctx, 'divisorOverride') !== null) {
    throw exportError(ctx, 'with divisorOverride has no ONNX export (AveragePool has no divisor)');
  }
  return ctx.graph.op('AveragePool', [ctx.input(0)], {
    ...windowAttributes(ctx),
    count_include_pad: attr<boolean>(ctx, 'countIncludePad') ? 1 : 0,
  });
};

const lpPool: ExportRule = (ctx) => {
  const p = attr<number>(ctx, 'normType');
  if (!Number.isInteger(p) || attr<boolean>(ctx, 'ceilMode')) {
    throw exportError(
      ctx,
      `needs an integer normType and no ceilMode (ONNX LpPool), got normType ${p}`,
    );
  }
  const { kernel_shape, strides, pads } = windowAttributes(ctx);
  return ctx.graph.op('LpPool', [ctx.input(0)], { kernel_shape, strides, pads, p });
};

/**
 * Adaptive pooling: Global*Pool for a 1×…×1 output, else the fixed pooling whose kernel and
 * stride are in/out per dim, which exists only where every output size divides its input size.
 */
function adaptive(globalOp: string, windowOp: string): ExportRule {
  return (ctx) => {
    const inSize = inputTensor(ctx, 0).shape.slice(2);
    checkBatched(ctx, inSize.length);
    const outSize = ctx.op.output.shape.slice(2);
    if (outSize.every((n) => n === 1)) return ctx.graph.op(globalOp, [ctx.input(0)]);
    if (!inSize.every((n, i) => n % outSize[i] === 0)) {
      throw exportError(
        ctx,
        `has no ONNX export for input size [${inSize.join(',')}] and output size [${outSize.join(',')}]: each input size must be a multiple of its output size (ONNX has no adaptive pooling; export at an input size where it divides)`,
      );
    }
    const kernel = inSize.map((n, i) => n / outSize[i]);
    return ctx.graph.op(windowOp, [ctx.input(0)], { kernel_shape: kernel, strides: kernel });
  };
}

const batchNorm: ExportRule = (ctx) => {
  if (!ctx.has(3)) {
    throw exportError(
      ctx,
      'without running statistics normalizes with batch statistics, which ONNX BatchNormalization (inference) does not; give the layer running statistics',
    );
  }
  const channels = [inputTensor(ctx, 0).shape[1]];
  const inputs = [ctx.input(0), inputOrFill(ctx, 1, 1, channels), inputOrFill(ctx, 2, 0, channels)];
  return ctx.graph.op('BatchNormalization', [...inputs, ctx.input(3), ctx.input(4)], {
    epsilon: float(attr(ctx, 'eps')),
  });
};

const instanceNorm: ExportRule = (ctx) => {
  const channels = [inputTensor(ctx, 0).shape[1]];
  const inputs = [ctx.input(0), inputOrFill(ctx, 1, 1, channels), inputOrFill(ctx, 2, 0, channels)];
  return ctx.graph.op('InstanceNormalization', inputs, { epsilon: float(attr(ctx, 'eps')) });
};

/**
 * GroupNorm as InstanceNormalization over [N, groups, rest] (which normalizes each group), shaped
 * back, then scaled and shifted per channel.
 */
const groupNorm: ExportRule = (ctx) => {
  const g = ctx.graph;
  const x = inputTensor(ctx, 0);
  const groups = attr<number>(ctx, 'numGroups');
  const grouped = g.op('Reshape', [ctx.input(0), g.int64s([0, groups, -1])]);
  const ones = g.constant(new Array<number>(groups).fill(1), outputType(ctx), [groups]);
  const zeros = g.constant(new Array<number>(groups).fill(0), outputType(ctx), [groups]);
  const normalized = g.op('InstanceNormalization', [grouped, ones, zeros], {
    epsilon: float(attr(ctx, 'eps')),
  });
  let out = g.op('Reshape', [normalized, g.op('Shape', [ctx.input(0)], {}, OnnxDataType.INT64)]);
  const perChannel = g.int64s([x.shape[1], ...x.shape.slice(2).map(() => 1)]);
  if (ctx.has(1)) out = g.op('Mul', [out, g.op('Reshape', [ctx.input(1), perChannel])]);
  if (ctx.has(2)) out = g.op('Add', [out, g.op('Reshape', [ctx.input(2), perChannel])]);
  return out;
};

const layerNorm: ExportRule = (ctx) => {
  if (ctx.opset < 17) {
    throw exportError(ctx, `needs opset 17 or later (ONNX LayerNormalization), got ${ctx.opset}`);
  }
  const axis = attr<number>(ctx, 'axis');
  const normalizedShape = inputTensor(ctx, 0).shape.slice(axis);
  const inputs = [ctx.input(0), inputOrFill(ctx, 1, 1, normalizedShape)];
  return ctx.graph.op('LayerNormalization', ctx.has(2) ? [...inputs, ctx.input(2)] : inputs, {
    axis,
    epsilon: float(attr(ctx, 'eps')),
  });
};

/** LRN; PyTorch's window (⌊size/2⌋ channels before) is ONNX's only for an odd size. */
const localResponseNorm: ExportRule = (ctx) => {
  const size = attr<number>(ctx, 'size');
  if (size % 2 === 0) {
    throw exportError(
      ctx,
      `needs an odd size (ONNX LRN centres its window differently), got ${size}`,
    );
  }
  return ctx.graph.op('LRN', [ctx.input(0)], {
    size,
    alpha: float(attr(ctx, 'alpha')),
    beta: float(attr(ctx, 'beta')),
    bias: float(attr(ctx, 'k')),
  });
};

/**
 * F.linear: Gemm for a 2-D input, else MatMul with the transposed weight (plus the bias); then
 * its fused activation, if any (Relu or Clip).
 */
const linear: ExportRule = (ctx) => {
  const g = ctx.graph;
  if (inputTensor(ctx, 0).ndim === 2) {
    return activated(ctx, g.op('Gemm', withBias(ctx, [ctx.input(0), ctx.input(1)]), { transB: 1 }));
  }
  const weightT = g.op('Transpose', [ctx.input(1)], { perm: [1, 0] });
  const product = g.op('MatMul', [ctx.input(0), weightT]);
  return activated(ctx, ctx.has(2) ? g.op('Add', [product, ctx.input(2)]) : product);
};

/** Resize's mode attributes for each interpolate mode, matching PyTorch's sampling positions. */
function resizeMode(ctx: ExportContext): Record<string, string | { float: number }> {
  const mode = attr<string>(ctx, 'mode');
  const corners = attr<boolean>(ctx, 'alignCorners') ? 'align_corners' : 'half_pixel';
  if (mode === 'nearest') {
    return { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
  }
  if (mode === 'nearest-exact') {
    const nearest_mode = 'round_prefer_ceil';
    return { mode: 'nearest', coordinate_transformation_mode: 'half_pixel', nearest_mode };
  }
  if (mode === 'bicubic') {
    return { mode: 'cubic', coordinate_transformation_mode: corners, cubic_coeff_a: float(-0.75) };
  }
  return { mode: 'linear', coordinate_transformation_mode: corners };
}

/**
 * interpolate → Resize: by scales where PyTorch samples with the scale factors, else by sizes
 * (the input's batch and channels, then the traced spatial size), so any batch size works.
 */
const interpolate: ExportRule = (ctx) => {
  const g = ctx.graph;
  const factors = attr<number[] | null>(ctx, 'scaleFactors');
  const x = ctx.input(0);
  if (factors !== null) {
    const scales = g.constant([1, 1, ...factors], OnnxDataType.FLOAT, [factors.length + 2]);
    return g.op('Resize', [x, '', scales], resizeMode(ctx));
  }
  const leading = g.op('Slice', [
    g.op('Shape', [x], {}, OnnxDataType.INT64),
    g.int64s([0]),
    g.int64s([2]),
  ]);
  const sizes = g.op('Concat', [leading, g.int64s(ctx.op.output.shape.slice(2))], { axis: 0 });
  return g.op('Resize', [x, '', '', sizes], resizeMode(ctx));
};

const softplus: ExportRule = (ctx) => {
  const beta = attr<number>(ctx, 'beta');
  const threshold = attr<number>(ctx, 'threshold');
  if (beta !== 1 || threshold < 20) {
    throw exportError(
      ctx,
      `has an ONNX export only for beta 1 and threshold ≥ 20 (ONNX Softplus), got beta ${beta}, threshold ${threshold}`,
    );
  }
  return ctx.graph.op('Softplus', [ctx.input(0)]);
};

const hardswish: ExportRule = (ctx) => {
  if (ctx.opset >= 14) return ctx.graph.op('HardSwish', [ctx.input(0)]);
  const gate = ctx.graph.op('HardSigmoid', [ctx.input(0)], {
    alpha: float(1 / 6),
    beta: float(0.5),
  });
  return ctx.graph.op('Mul', [ctx.input(0), gate]);
};

/** Dropout reaches the exporter only when it drops (training): refuse rather than bake a mask. */
const dropout: ExportRule = (ctx) => {
  throw exportError(
    ctx,
    `is active (p = ${String(attr(ctx, 'p'))}): the export runs the model in eval mode, so a functional dropout in forward must get training: this.training`,
  );
};

/** The rules of the neural-network ops, by traced op name. */
export const nnRules: Readonly<Record<string, ExportRule>> = {
  conv,
  convTranspose,
  maxPool,
  avgPool,
  lpPool,
  adaptiveAvgPool: adaptive('GlobalAveragePool', 'AveragePool'),
  adaptiveMaxPool: adaptive('GlobalMaxPool', 'MaxPool'),
  batchNorm,
  batchNormTraining: (ctx) => {
    throw exportError(
      ctx,
      'in training mode has no inference export: the export runs the model in eval mode, so a functional batchNorm in forward must get training: this.training',
    );
  },
  instanceNorm,
  groupNorm,
  layerNorm,
  localResponseNorm,
  linear,
  interpolate,
  relu: (ctx) => ctx.graph.op('Relu', [ctx.input(0)]),
  leakyRelu: (ctx) =>
    ctx.graph.op('LeakyRelu', [ctx.input(0)], { alpha: float(attr(ctx, 'negativeSlope')) }),
  elu: (ctx) => ctx.graph.op('Elu', [ctx.input(0)], { alpha: float(attr(ctx, 'alpha')) }),
  selu: (ctx) =>
    ctx.graph.op('Selu', [ctx.input(0)], {
      alpha: float(1.6732632423543772),
      gamma: float(1.0507009873554805),
    }),
  softplus,
  hardsigmoid: (ctx) =>
    ctx.graph.op('HardSigmoid', [ctx.input(0)], { alpha: float(1 / 6), beta: float(0.5) }),
  hardswish,
  softmax: (ctx) => ctx.graph.op('Softmax', [ctx.input(0)], { axis: attr(ctx, 'axis') }),
  logSoftmax: (ctx) => ctx.graph.op('LogSoftmax', [ctx.input(0)], { axis: attr(ctx, 'axis') }),
  dropout,
  dropout1d: dropout,
  dropout2d: dropout,
  dropout3d: dropout,
  alphaDropout: dropout,
  featureAlphaDropout: dropout,
};
