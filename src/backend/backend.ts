import type { FusedActivation } from './fused-activation.js';
import type { DType, TypedArray } from './dtype.js';

/** A backend's live memory, as `Backend.memory()` reports it. */
export interface MemoryStats {
  liveBuffers: number;
  liveBytes: number;
}

/** A shape as kernels see it: one size per dimension. */
type Shape = readonly number[];

/**
 * The kernel interface. A backend allocates storage and runs kernels on flat typed arrays with
 * shapes and strides; it never allocates tensors and never checks user input (ops do that).
 * Every kernel writes into an `out` array that the caller allocated with `alloc`.
 */
export interface Backend {
  /** The name `setBackend` selects it by. */
  readonly name: string;
  /** A zero-filled array of `size` elements of `dtype`, in this backend's memory. */
  alloc(dtype: DType, size: number): TypedArray;
  /**
   * An array for a tensor made inside a memory scope (`tidy`), in memory the kernels use in
   * place, which the scope hands back with `release` when it ends; zero-filled unless `zeroed`
   * is false (its first kernel writes every element). Undefined where this backend has no such
   * memory or thinks the array too small for it (`alloc` then serves).
   */
  allocScoped?(dtype: DType, size: number, zeroed: boolean): TypedArray | undefined;
  /** Takes back an array `allocScoped` returned; nothing may use it afterwards. */
  release?(array: TypedArray): void;
  /**
   * The buffers `alloc` and `allocScoped` returned that are still alive (not yet reclaimed by
   * the garbage collector, or released), and their bytes: what a leak test watches. A backend may
   * start counting at the first call (the reference backend does, to cost nothing otherwise).
   */
  memory?(): MemoryStats;

  /** out[i] = op(x[i]); `copy` converts between dtypes. */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray): void;
  /** out = op(a, b) over `shape`, reading a and b through broadcast strides. */
  binary(op: BinaryOp, a: Strided, b: Strided, out: TypedArray, shape: Shape): void;
  /** out = cond ? a : b over `shape`, each operand read through its strides. */
  where(cond: Strided, a: Strided, b: Strided, out: TypedArray, shape: Shape): void;
  /** Copies a strided view of `shape` into contiguous `out` (permute, slice, expand, cast). */
  copy(src: Strided, out: TypedArray, shape: Shape): void;

  /** Reduces the middle axis of x viewed as [outer, size, inner] into out [outer, inner]. */
  reduce(op: ReduceOp, x: TypedArray, dims: ReduceDims, out: TypedArray): void;
  /** Index of the first max (or min) along the middle axis of [outer, size, inner]. */
  argReduce(op: 'max' | 'min', x: TypedArray, dims: ReduceDims, out: Int32Array): void;
  /**
   * log softmax along the middle axis of [outer, size, inner]: x − log Σ exp(x), stable (the
   * slice's maximum subtracted first), in one kernel rather than the eight ops of log-sum-exp.
   */
  logSoftmax(x: TypedArray, dims: ReduceDims, out: TypedArray): void;
  /** Its gradient from its output y: gx = g − exp(y)·Σ g along the middle axis. */
  logSoftmaxBackward(y: TypedArray, g: TypedArray, dims: ReduceDims, gx: TypedArray): void;

  /** Batched matrix product with optional transposes, batch strides and accumulation. */
  matmul(args: MatmulArgs): void;

  /**
   * Grouped convolution: x [N, C, ...inSize] and w [C_out, C/groups, ...kernel] →
   * out [N, C_out, ...outSize] (cross-correlation, zero padding, as PyTorch's conv), plus
   * bias[c] on every output of channel c when a bias is given, then the fused `activation` if any
   * (both applied while the output is in cache, so they cost no pass of their own).
   */
  conv(
    x: TypedArray,
    w: TypedArray,
    geom: GroupedConv,
    out: TypedArray,
    bias?: TypedArray,
    activation?: FusedActivation,
  ): void;
  /**
   * The adjoint of `conv` in x: gout [N, C_out, ...outSize] → gin [N, C, ...inSize], overwritten.
   * It is conv's input gradient and conv transpose's forward.
   */
  convAdjoint(gout: TypedArray, w: TypedArray, geom: GroupedConv, gin: TypedArray): void;
  /** The adjoint of `conv` in w: gw [C_out, C/groups, ...kernel] = Σ over the batch, overwritten. */
  convWeightGrad(x: TypedArray, gout: TypedArray, geom: GroupedConv, gw: TypedArray): void;
  /**
   * A conv's whole backward pass from one read of its output gradient: gout through the fused
   * activation's derivative, then whichever of the input, weight and bias gradients are given.
   */
  convBackward(args: ConvBackward): void;

  /**
   * int8 convolution, float32 in and out: x is quantized to uint8 with `quant.input`, convolved
   * with the per-output-channel int8 weights (int32 sums plus `weights.bias`), requantized to
   * uint8 with `weights.multiplier` and `quant.output`, clamped to [quant.min, quant.max] (the
   * fused activation) and written dequantized to out [N, C_out, ...outSize]. A linear layer is
   * this with no spatial dims. Rounding is half to even throughout, so every backend gives the
   * same bits.
   */
  quantizedConv(
    x: Float32Array,
    weights: Int8ConvWeights,
    geom: GroupedConv,
    quant: Requantization,
    out: Float32Array,
  ): void;

  /**
   * Per channel of x viewed as [outer, channels, inner]: the mean and biased variance over
   * outer × inner, and xhat = (x − mean) / √(variance + eps) — every norm layer's core.
   */
  normalize(
    x: TypedArray,
    dims: ChannelDims,
    eps: number,
    xhat: TypedArray,
    mean: TypedArray,
    variance: TypedArray,
  ): void;
  /** The adjoint of `normalize`'s xhat: dx = invStd·(g − mean(g) − xhat·mean(g·xhat)) per channel. */
  normalizeBackward(
    g: TypedArray,
    xhat: TypedArray,
    invStd: TypedArray,
    dims: ChannelDims,
    dx: TypedArray,
  ): void;

  /** Unfolds sliding windows: x [N, C, ...in] into cols [N, C·∏kernel, ∏out] (zero padding). */
  im2col(x: TypedArray, geom: ConvGeometry, cols: TypedArray): void;
  /** The adjoint of im2col: adds each column entry back to its input position. */
  col2im(cols: TypedArray, geom: ConvGeometry, out: TypedArray): void;

  /**
   * Max over each window: x [planes, ...in] → out [planes, ...out], and the flat in-plane argmax
   * when `argmax` is given (inference does without).
   */
  windowMax(x: TypedArray, geom: WindowGeometry, out: TypedArray, argmax?: Int32Array): void;
  /** Sum over each window: x [planes, ...in] → out [planes, ...out]. */
  windowSum(x: TypedArray, geom: WindowGeometry, out: TypedArray): void;
  /** The adjoint of windowSum: adds each output gradient to every position of its window. */
  windowSumBackward(gout: TypedArray, geom: WindowGeometry, gin: TypedArray): void;

  /** out[o, j, i] = x[o, index[o, j, i], i] with x [outer, size, inner], index [outer, count, inner]. */
  gather(x: TypedArray, index: Int32Array, dims: GatherDims, out: TypedArray): void;
  /** The adjoint of gather: out[o, index[o, j, i], i] += src[o, j, i]. */
  scatterAdd(src: TypedArray, index: Int32Array, dims: GatherDims, out: TypedArray): void;

  /** Linear resampling along the middle axis of [outer, inSize, inner] (see AxisMap). */
  resample(x: TypedArray, dims: ResampleDims, map: AxisMap, out: TypedArray): void;
  /** The adjoint of resample: scatters output gradients back through the same taps. */
  resampleBackward(gout: TypedArray, dims: ResampleDims, map: AxisMap, gin: TypedArray): void;

  /** One Adam, AdamW or AMSGrad step of a parameter, in place (see AdamUpdate). */
  adamUpdate(args: AdamUpdate): void;
  /** One SGD step of a parameter, with or without momentum, in place (see SGDUpdate). */
  sgdUpdate(args: SGDUpdate): void;
  /** One RMSprop step of a parameter, in place (see RMSpropUpdate). */
  rmspropUpdate(args: RMSpropUpdate): void;
  /** One Adagrad step of a parameter, in place (see AdagradUpdate). */
  adagradUpdate(args: AdagradUpdate): void;
}

/** Elementwise functions of one argument. */
export type UnaryOp =
  | 'copy'
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'reciprocal'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'erf'
  | 'relu'
  | 'floor'
  | 'ceil'
  | 'round';

/** Elementwise functions of two arguments; comparisons write 1 or 0. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  /** b where a > 0, else 0: ReLU's gradient gate in one pass (a NaN gates to 0). */
  | 'gatePositive';

/** Reductions along one (collapsed) axis. */
export type ReduceOp = 'sum' | 'max' | 'min';

/** A strided read of an array: element at index (i0, i1, ...) is data[offset + Σ ik·strides[k]]. */
export interface Strided {
  data: TypedArray;
  offset: number;
  strides: readonly number[];
}

/** x viewed as [outer, channels, inner]; each channel's statistics run over outer × inner. */
export interface ChannelDims {
  outer: number;
  channels: number;
  inner: number;
}

/** x viewed as [outer, size, inner]; the middle axis is reduced. */
export interface ReduceDims {
  outer: number;
  size: number;
  inner: number;
}

/** x viewed as [outer, size, inner] and index/out as [outer, count, inner]. */
export interface GatherDims {
  outer: number;
  size: number;
  count: number;
  inner: number;
}

/** One operand of matmul: its array, where it starts, and the distance between batch entries. */
export interface MatmulOperand {
  data: TypedArray;
  offset: number;
  /** Elements between consecutive batch entries; 0 reuses one matrix for the whole batch. */
  batchStride: number;
}

/**
 * out[b] (+)= op(a[b]) · op(b[b]) for b < batch, where op(a) is m×k and op(b) is k×n.
 * A transposed operand is stored k×m (a) or n×k (b). All matrices are row-major and dense.
 */
export interface MatmulArgs {
  batch: number;
  m: number;
  n: number;
  k: number;
  a: MatmulOperand;
  b: MatmulOperand;
  out: MatmulOperand;
  transA: boolean;
  transB: boolean;
  /** Add into out instead of overwriting it (several batch entries may then share one out). */
  accumulate: boolean;
  /**
   * Added to every row of each product (n values, one per column), as linear's bias; then
   * `activation` (a clamp, as a conv's). Both are applied as each block of out is written, and
   * neither goes with `accumulate`.
   */
  bias?: TypedArray;
  activation?: FusedActivation;
}

/**
 * Geometry of a sliding-window product over d spatial dims. Output position o along dim i reads
 * input o·stride[i] − padBefore[i] + j·dilation[i] for j < kernel[i]; positions outside the input
 * read zero. outSize is given (asymmetric padding is implied by it).
 */
export interface ConvGeometry {
  batch: number;
  channels: number;
  inSize: readonly number[];
  outSize: readonly number[];
  kernel: readonly number[];
  stride: readonly number[];
  padBefore: readonly number[];
  dilation: readonly number[];
}

/**
 * Affine uint8 quantization of activations: real = (q − zeroPoint)·scale with q in [0, 255].
 * Chosen over symmetric int8 because most activations follow a ReLU: their range [0, max] then
 * uses all 256 levels instead of 128; it is also ONNX Runtime's default for QDQ activations.
 */
export interface AffineQuant {
  /** float32-representable, so ONNX's float scale is the same number. */
  scale: number;
  /** In [0, 255]. */
  zeroPoint: number;
}

/** The weights of an int8 conv or linear layer, as `quantizedConv` takes them. */
export interface Int8ConvWeights {
  /** Symmetric int8 (zero point 0), [C_out, C/groups, ...kernel] row-major. */
  values: Int8Array;
  /** int32 bias per output channel, in units of input scale × weight scale. */
  bias: Int32Array;
  /** Per output channel: input scale × weight scale / output scale. */
  multiplier: Float64Array;
}

/** How `quantizedConv` quantizes its input and requantizes its output. */
export interface Requantization {
  input: AffineQuant;
  output: AffineQuant;
  /** The uint8 clamp of the output: the fused activation (ReLU: min = the zero point). */
  min: number;
  max: number;
}

/**
 * What `convBackward` reads and writes: the gradients asked for are the arrays given (each
 * overwritten), gin [N, C, ...inSize], gw [C_out, C/groups, ...kernel], gbias [C_out].
 */
export interface ConvBackward {
  x: TypedArray;
  w: TypedArray;
  gout: TypedArray;
  geom: GroupedConv;
  /**
   * The forward's fused activation and its output y: gout passes where the activation's slope is 1
   * (y > 0 for ReLU, 0 < y < 6 for ReLU6) and is 0 elsewhere.
   */
  activation?: { kind: FusedActivation; y: TypedArray };
  gin?: TypedArray;
  gw?: TypedArray;
  gbias?: TypedArray;
}

/** A convolution's geometry and its channel groups: `channels` in, `outChannels` out. */
export interface GroupedConv extends ConvGeometry {
  groups: number;
  outChannels: number;
}

/**
 * Per spatial dim, output o reads input start[o] + j·step for j < count[o] (all in range; ops
 * never pass an empty window, count[o] ≥ 1).
 */
export interface WindowAxis {
  inSize: number;
  outSize: number;
  start: Int32Array;
  count: Int32Array;
  step: number;
}

/** Pooling windows over `planes` independent planes (N·C), one WindowAxis per spatial dim. */
export interface WindowGeometry {
  planes: number;
  axes: readonly WindowAxis[];
}

/** x viewed as [outer, inSize, inner], out as [outer, outSize, inner]. */
export interface ResampleDims {
  outer: number;
  inSize: number;
  outSize: number;
  inner: number;
}

/**
 * A sparse linear map along one axis: out[o] = Σ_t weight[o·taps+t] · x[index[o·taps+t]], where a
 * negative index reads the constant `fill` instead (constant padding). Covers padding modes,
 * nearest/linear/cubic interpolation and cropping with one kernel and its adjoint.
 */
export interface AxisMap {
  taps: number;
  index: Int32Array;
  weight: Float64Array;
  fill: number;
}

/**
 * What every optimizer update takes: a parameter, updated in place, and its gradient, which the
 * rule sees as d = (maximize ? −grad : grad) + weightDecay·param (the L2 term skipped when
 * weightDecay is 0, as PyTorch does). Buffers are the parameter's size; scalars are this step's,
 * already resolved by the optimizer.
 */
export interface ParamUpdate {
  param: TypedArray;
  grad: TypedArray;
  /** L2 penalty added to the gradient (0 for none, and for AdamW's decoupled decay). */
  weightDecay: number;
  maximize: boolean;
}

/**
 * torch.optim.Adam's rule: m = β1·m + (1 − β1)·d, v = β2·v + (1 − β2)·d²; with AMSGrad
 * vMax = max(vMax, v) replaces v below; p = p·shrink − stepSize·m / (√v / bias2Sqrt + eps).
 */
export interface AdamUpdate extends ParamUpdate {
  /** m, updated in place. */
  expAvg: TypedArray;
  /** v, updated in place. */
  expAvgSq: TypedArray;
  /** AMSGrad's running maximum of v, updated in place; null without AMSGrad. */
  maxExpAvgSq: TypedArray | null;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1 − lr·weightDecay for AdamW's decoupled decay; 1 for Adam. */
  shrink: number;
  /** lr / (1 − β1ᵗ) at step t. */
  stepSize: number;
  /** √(1 − β2ᵗ) at step t. */
  bias2Sqrt: number;
}

/**
 * torch.optim.SGD's rule: with a momentum buffer b = momentum·b + (1 − dampening)·d (b = d on
 * its first step), d becomes d + momentum·b with Nesterov, else b; then p = p − lr·d.
 */
export interface SGDUpdate extends ParamUpdate {
  lr: number;
  /** b, updated in place; null without momentum. */
  momentumBuffer: TypedArray | null;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  /** The buffer's first step: it is set to d, undamped, and its contents are not read. */
  firstStep: boolean;
}

/**
 * torch.optim.RMSprop's rule: s = α·s + (1 − α)·d²; centered, ḡ = α·ḡ + (1 − α)·d and the
 * variance is s − ḡ², else s; den = √variance + eps; with a momentum buffer
 * b = momentum·b + d/den and p = p − lr·b, else p = p − lr·d/den.
 */
export interface RMSpropUpdate extends ParamUpdate {
  lr: number;
  alpha: number;
  eps: number;
  /** s, updated in place. */
  squareAvg: TypedArray;
  /** ḡ, updated in place; null unless centered. */
  gradAvg: TypedArray | null;
  /** b, updated in place; null without momentum. */
  momentumBuffer: TypedArray | null;
  momentum: number;
}

/** torch.optim.Adagrad's rule: s = s + d², p = p − lr·d / (√s + eps). */
export interface AdagradUpdate extends ParamUpdate {
  /** This step's learning rate: lr / (1 + (t − 1)·lrDecay) at step t. */
  lr: number;
  eps: number;
  /** s, the sum of squared gradients, updated in place. */
  sum: TypedArray;
}
