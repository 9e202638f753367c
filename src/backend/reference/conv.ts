import { clampRange, type FusedActivation } from '../fused-activation.js';
import type { ConvBackward, ConvGeometry, GroupedConv, MatmulOperand } from '../backend.js';
import { allocArray, dtypeOf, type TypedArray } from '../dtype.js';
import { col2im, im2col, planeSizes } from './im2col.js';
import { matmul } from './matmul.js';

// The three linear maps of a grouped convolution, as im2col and matmul. With cols = im2col(x),
// group g of sample n computes y[n, g] = W[g] · cols[n, g], where W[g] is
// [C_out/groups, C_in/groups·∏kernel] and cols[n, g] is [C_in/groups·∏kernel, ∏out]. Each block
// is contiguous, so one matmul per group covers the batch by strides alone.

/** The per-group blocks of the weight, the columns and the output, as matmul operands. */
function groupBlocks(conv: GroupedConv) {
  const { rowsPerChannel: kernelCount, outCount: positions } = planeSizes(conv);
  const outPerGroup = conv.outChannels / conv.groups;
  const rows = (conv.channels / conv.groups) * kernelCount;
  return {
    outPerGroup,
    rows,
    positions,
    weight: (data: TypedArray, g: number): MatmulOperand => ({
      data,
      offset: g * outPerGroup * rows,
      batchStride: 0,
    }),
    cols: (data: TypedArray, g: number): MatmulOperand => ({
      data,
      offset: g * rows * positions,
      batchStride: conv.channels * kernelCount * positions,
    }),
    out: (data: TypedArray, g: number): MatmulOperand => ({
      data,
      offset: g * outPerGroup * positions,
      batchStride: conv.outChannels * positions,
    }),
  };
}

/** Whether im2col would copy x unchanged (1×1 kernel, stride 1, no padding). */
function isPointwise(geom: ConvGeometry): boolean {
  return geom.kernel.every(
    (k, i) =>
      k === 1 &&
      geom.stride[i] === 1 &&
      geom.padBefore[i] === 0 &&
      geom.outSize[i] === geom.inSize[i],
  );
}

/** im2col(x), or x itself for a pointwise conv. */
function columns(x: TypedArray, geom: ConvGeometry): TypedArray {
  if (isPointwise(geom)) return x;
  const { rowsPerChannel, outCount } = planeSizes(geom);
  const cols = allocArray(dtypeOf(x), geom.batch * geom.channels * rowsPerChannel * outCount);
  im2col(x, geom, cols);
  return cols;
}

/**
 * The kernel interface's `conv`: y[n, g] = W[g] · cols[n, g] (+ bias) for every sample and group,
 * then the fused activation.
 */
export function conv(
  x: TypedArray,
  w: TypedArray,
  geom: GroupedConv,
  out: TypedArray,
  bias?: TypedArray,
  activation?: FusedActivation,
): void {
  const blocks = groupBlocks(geom);
  const cols = columns(x, geom);
  for (let g = 0; g < geom.groups; g++) {
    matmul({
      batch: geom.batch,
      m: blocks.outPerGroup,
      n: blocks.positions,
      k: blocks.rows,
      a: blocks.weight(w, g),
      b: blocks.cols(cols, g),
      out: blocks.out(out, g),
      transA: false,
      transB: false,
      accumulate: false,
    });
  }
  if (bias) addChannelBias(out, bias, blocks.positions);
  if (activation) clampRange(out, 0, out.length, activation);
}

/** out[n, c, p] += bias[c] for out [N, C, positions]. */
function addChannelBias(out: TypedArray, bias: TypedArray, positions: number): void {
  for (let plane = 0; plane < out.length / positions; plane++) {
    const b = bias[plane % bias.length];
    for (let i = plane * positions; i < (plane + 1) * positions; i++) out[i] += b;
  }
}

/** sums[c] = Σ of channel c's planes of x [N, C, positions], accumulated in float64. */
function sumChannels(x: TypedArray, positions: number, sums: TypedArray): void {
  const totals = new Float64Array(sums.length);
  for (let plane = 0, at = 0; plane < x.length / positions; plane++) {
    let acc = 0;
    for (const end = at + positions; at < end; at++) acc += x[at];
    totals[plane % sums.length] += acc;
  }
  sums.set(totals);
}

/** The kernel interface's `convAdjoint`: col2im of W[g]ᵀ · gout[n, g]. */
export function convAdjoint(
  gout: TypedArray,
  w: TypedArray,
  geom: GroupedConv,
  gin: TypedArray,
): void {
  const blocks = groupBlocks(geom);
  const pointwise = isPointwise(geom);
  const cols = pointwise
    ? gin
    : allocArray(dtypeOf(gin), geom.batch * geom.groups * blocks.rows * blocks.positions);
  for (let g = 0; g < geom.groups; g++) {
    matmul({
      batch: geom.batch,
      m: blocks.rows,
      n: blocks.positions,
      k: blocks.outPerGroup,
      a: blocks.weight(w, g),
      b: blocks.out(gout, g),
      out: blocks.cols(cols, g),
      transA: true,
      transB: false,
      accumulate: false,
    });
  }
  if (!pointwise) col2im(cols, geom, gin);
}

/** The kernel interface's `convWeightGrad`: Σ over the batch of gout[n, g] · cols[n, g]ᵀ. */
export function convWeightGrad(
  x: TypedArray,
  gout: TypedArray,
  geom: GroupedConv,
  gw: TypedArray,
): void {
  const blocks = groupBlocks(geom);
  const cols = columns(x, geom);
  gw.fill(0);
  for (let g = 0; g < geom.groups; g++) {
    matmul({
      batch: geom.batch,
      m: blocks.outPerGroup,
      n: blocks.rows,
      k: blocks.positions,
      a: blocks.out(gout, g),
      b: blocks.cols(cols, g),
      out: blocks.weight(gw, g),
      transA: false,
      transB: true,
      // Every sample adds into the same weight block.
      accumulate: true,
    });
  }
}

/**
 * The kernel interface's `convBackward`: gout through the activation's derivative, then the
 * adjoints asked for and the bias gradient (float64 sums per channel).
 */
export function convBackward({ x, w, gout, geom, activation, gin, gw, gbias }: ConvBackward): void {
  const g = activation ? gated(gout, activation.kind, activation.y) : gout;
  if (gin) convAdjoint(g, w, geom, gin);
  if (gw) convWeightGrad(x, g, geom, gw);
  if (gbias) sumChannels(g, planeSizes(geom).outCount, gbias);
}

/** g where the activation's slope at output y is 1, else 0 (NaN included). */
function gated(g: TypedArray, kind: FusedActivation, y: TypedArray): TypedArray {
  const out = g.slice();
  for (let i = 0; i < out.length; i++) {
    const v = y[i];
    if (!(v > 0 && (kind === 'relu' || v < 6))) out[i] = 0;
  }
  return out;
}
