/**
 * Pooling operators. Symmetric padding of at most half the kernel goes to fovea's pooling as is;
 * anything else (asymmetric pads, auto_pad) is padded explicitly first (−∞ for max, 0 for the
 * average, whose divisor then counts only real elements unless count_include_pad).
 */
import { record } from '../../autograd/node.js';
import * as ops from '../../ops/index.js';
import { onesLike, zeros } from '../../tensor/create.js';
import { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';
import { spatialRank } from './conv.js';
import { spatialPads, toFoveaPad, windowSteps } from './util.js';

const maxPools = [ops.maxPool1d, ops.maxPool2d, ops.maxPool3d];
const avgPools = [ops.avgPool1d, ops.avgPool2d, ops.avgPool3d];

/** The window of a pooling node and whether fovea's own (symmetric) padding can express it. */
function poolWindow(ctx: NodeContext, x: Tensor) {
  const d = spatialRank(ctx, x);
  const kernel = ctx.ints('kernel_shape') ?? [];
  ctx.check(
    kernel.length === d,
    () => `kernel_shape [${kernel}] needs ${d} values for input shape [${x.shape}]`,
  );
  const { strides, dilations } = windowSteps(ctx, d);
  const pairs = spatialPads(ctx, x.shape.slice(2), kernel, strides, dilations);
  const symmetric = pairs.every(([a, b], i) => a === b && a <= Math.floor(kernel[i] / 2));
  const options = { kernelSize: kernel, stride: strides, ceilMode: ctx.int('ceil_mode', 0) === 1 };
  return { d, kernel, dilations, pairs, symmetric, options, padding: pairs.map(([a]) => a) };
}

/** MaxPool, with the optional Indices output flat over the whole input (row-major, or column-major per storage_order). */
function maxPool(ctx: NodeContext): (Tensor | undefined)[] {
  const x = ctx.input(0);
  const w = poolWindow(ctx, x);
  const floatX = ops.cast(x, x.dtype === 'float64' ? 'float64' : 'float32');
  const source = w.symmetric ? floatX : ops.pad(floatX, toFoveaPad(w.pairs), { value: -Infinity });
  const { values, indices } = maxPools[w.d - 1](source, {
    ...w.options,
    dilation: w.dilations,
    padding: w.symmetric ? w.padding : 0,
    returnIndices: true,
  });
  const wantIndices = (ctx.node.output ?? []).length > 1 && ctx.node.output?.[1];
  return [
    ops.cast(values, x.dtype),
    wantIndices ? wholeTensorIndices(ctx, indices, x, w.symmetric) : undefined,
  ];
}

/** Plane-relative argmax indices as ONNX's: offset by each plane's start, storage order applied. */
function wholeTensorIndices(
  ctx: NodeContext,
  planeIndices: Tensor,
  x: Tensor,
  unpadded: boolean,
): Tensor {
  ctx.check(
    unpadded,
    () => 'the Indices output is supported only with symmetric pads of at most half the kernel',
  );
  const spatial = x.shape.slice(2);
  const plane = spatial.reduce((a, b) => a * b, 1);
  const perPlane = planeIndices.size / (x.shape[0] * x.shape[1]);
  const columnMajor = ctx.int('storage_order', 0) === 1;
  const out = new Int32Array(planeIndices.size);
  planeIndices.data.forEach((v, i) => {
    let flat = v;
    if (columnMajor) {
      let rest = v;
      const coords = spatial.map((_, k) => {
        const stride = spatial.slice(k + 1).reduce((a, b) => a * b, 1);
        const c = Math.floor(rest / stride);
        rest -= c * stride;
        return c;
      });
      flat = coords.reduceRight((acc, c, k) => acc * spatial[k] + c, 0);
    }
    out[i] = Math.floor(i / perPlane) * plane + flat;
  });
  return new Tensor(out, planeIndices.shape, 'int32');
}

/** AveragePool; without count_include_pad, the divisor counts only real elements. */
function averagePool(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const w = poolWindow(ctx, x);
  const includePad = ctx.int('count_include_pad', 0) === 1;
  const pool = avgPools[w.d - 1];
  if (w.symmetric)
    return pool(x, { ...w.options, padding: w.padding, countIncludePad: includePad });
  const padded = pool(ops.pad(x, toFoveaPad(w.pairs)), w.options);
  if (includePad) return padded;
  const realShare = pool(ops.pad(onesLike(x), toFoveaPad(w.pairs)), w.options);
  return ops.div(padded, realShare);
}

/** LpPool: (Σ |x|^p)^(1/p) over each window, zero padding. */
function lpPool(ctx: NodeContext): Tensor {
  const x = ctx.input(0);
  const w = poolWindow(ctx, x);
  const p = ctx.int('p', 2);
  const volume = w.kernel.reduce((a, b) => a * b, 1);
  const powered = ops.pad(ops.pow(ops.abs(x), p), toFoveaPad(w.pairs));
  return ops.pow(ops.mul(avgPools[w.d - 1](powered, w.options), volume), 1 / p);
}

/**
 * MaxUnpool: each value written where its index points in a zero output; the gradient gathers
 * back. Indices address the unpooled shape [(in − 1)·stride + kernel − pads]; a larger
 * output_shape keeps each value at the same coordinates.
 */
function maxUnpool(ctx: NodeContext): Tensor {
  const [x, indices] = [ctx.input(0), ctx.input(1, 'I')];
  const d = spatialRank(ctx, x);
  const kernel = ctx.ints('kernel_shape') ?? [];
  const strides = ctx.ints('strides', new Array<number>(d).fill(1));
  const pads = ctx.ints('pads', new Array<number>(2 * d).fill(0));
  const unpooled = x.shape
    .slice(2)
    .map((n, i) => (n - 1) * strides[i] + kernel[i] - pads[i] - pads[i + d]);
  const shape = ctx.values(2) ?? [...x.shape.slice(0, 2), ...unpooled];
  const outSpatial = shape.slice(2);
  const [inPlane, outPlane] = [unpooled, outSpatial].map((s) => s.reduce((a, b) => a * b, 1));
  const targets = Array.from(indices.data, (at) => {
    ctx.check(
      at >= 0 && at < inPlane * x.shape[0] * x.shape[1],
      () => `index ${at} is outside the unpooled shape [${x.shape.slice(0, 2)},${unpooled}]`,
    );
    let rest = at % inPlane;
    const coords = unpooled.map((_, k) => {
      const stride = unpooled.slice(k + 1).reduce((a, b) => a * b, 1);
      const c = Math.floor(rest / stride);
      rest -= c * stride;
      return c;
    });
    return (
      Math.floor(at / inPlane) * outPlane + coords.reduce((acc, c, k) => acc * outSpatial[k] + c, 0)
    );
  });
  const out = zeros(shape, { dtype: x.dtype });
  targets.forEach((at, i) => (out.data[at] = x.data[i]));
  return record('MaxUnpool', out, [x], (g) => [
    new Tensor(
      Float64Array.from(targets, (at) => g.data[at]),
      x.shape,
      'float64',
    ).to(g.dtype),
  ]);
}

/** Global pooling: over every spatial dim, kept as size 1. */
function globalPool(reduce: (x: Tensor, dims: number[], keepdim: boolean) => Tensor) {
  return (ctx: NodeContext): Tensor => {
    const x = ctx.input(0);
    return reduce(x, x.shape.map((_, i) => i).slice(2), true);
  };
}

/** Pooling operators. */
export const poolOps: OnnxOpTable = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  LpPool: lpPool,
  MaxUnpool: maxUnpool,
  GlobalAveragePool: globalPool(ops.mean),
  GlobalMaxPool: globalPool(ops.max),
  GlobalLpPool: (ctx) => {
    const x = ctx.input(0);
    const p = ctx.int('p', 2);
    return ops.pow(ops.sum(ops.pow(ops.abs(x), p), x.shape.map((_, i) => i).slice(2), true), 1 / p);
  },
};
