import type { ReduceOp } from '../backend/backend.js';
import { isFloat } from '../backend/dtype.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import { normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { cast } from './cast.js';
import { eq, where } from './compare.js';
import { expand } from './permute.js';
import { reshape } from './reshape.js';
import { exp, log, sqrt } from './unary.js';
import { checkFloat, empty, middleDims } from './util.js';
import { traced } from './trace.js';

/** Which axes a reduction covers: one axis, several, or all (undefined). */
export type Dims = number | readonly number[] | undefined;

/** The sorted, distinct, non-negative axes that `dim` names for a tensor of `ndim` dimensions. */
export function reducedAxes(dim: Dims, ndim: number, op: string): number[] {
  if (dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dim === 'number' ? [dim] : dim;
  const axes = list.map((d) => normalizeAxis(d, ndim, op)).sort((a, b) => a - b);
  // A 0-d tensor accepts dim 0 or -1, as PyTorch does; there is nothing to reduce.
  if (ndim === 0) return [];
  check(new Set(axes).size === axes.length, op, () => `dims [${list.join(', ')}] name a dim twice`);
  return axes;
}

/** The shape after reducing `axes`, kept as size-1 dims or dropped. */
function reducedShape(
  shape: readonly number[],
  axes: readonly number[],
  keepdim: boolean,
): number[] {
  return keepdim
    ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : shape.filter((_, i) => !axes.includes(i));
}

/** Maximal runs of adjacent axes, e.g. [0, 2, 3] → [[0, 0], [2, 3]]. */
function adjacentRuns(axes: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const a of axes) {
    const run = runs[runs.length - 1];
    if (run && run[1] === a - 1) run[1] = a;
    else runs.push([a, a]);
  }
  return runs;
}

function runReduce(
  op: ReduceOp,
  x: Tensor,
  axes: readonly number[],
  keepdim: boolean,
  name: string,
): Tensor {
  check(
    op === 'sum' || axes.every((a) => x.shape[a] > 0),
    name,
    () => `cannot take ${op} over an empty dimension (shape ${fmt(x.shape)})`,
  );
  const dtype = op === 'sum' && !isFloat(x.dtype) ? 'int32' : x.dtype;
  // Each run of adjacent axes is one [outer, size, inner] reduction (sums of sums, maxima of
  // maxima), so non-adjacent axes such as batch norm's [0, 2, 3] need no transposing copy.
  let src = x;
  const shape = [...x.shape];
  const runs = adjacentRuns(axes).reverse();
  if (runs.length === 0) runs.push([0, -1]);
  for (const [first, last] of runs) {
    const dims = middleDims(shape, first, last);
    for (let a = first; a <= last; a++) shape[a] = 1;
    const out = empty(shape, dtype);
    getBackend().reduce(op, src.data, dims, out.data);
    src = out;
  }
  return new Tensor(src.data, reducedShape(x.shape, axes, keepdim), dtype);
}

/** Broadcasts a reduced gradient back over the reduced axes. */
function spread(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(x.shape, axes, true)), x.shape);
}

/**
 * Sum over `dim` (all axes when omitted), as `torch.sum`; integer tensors sum to int32.
 * Shape: x's shape without the reduced axes (kept as 1 with keepdim).
 */
export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const axes = reducedAxes(dim, x.ndim, 'sum');
  const out = runReduce('sum', x, axes, keepdim, 'sum');
  record('sum', out, [x], (g) => [spread(g, x, axes)]);
  return traced('sum', out, [x], { axes, keepdim });
}

/** Mean over `dim` (all axes when omitted). Shape: as `sum`. */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  checkFloat(x, 'mean');
  const axes = reducedAxes(dim, x.ndim, 'mean');
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  return traced('mean', div(sum(x, axes, keepdim), count), [x], { axes, keepdim });
}

function extremum(op: 'max' | 'min', x: Tensor, dim: Dims, keepdim: boolean): Tensor {
  const axes = reducedAxes(dim, x.ndim, op);
  const out = runReduce(op, x, axes, keepdim, op);
  record(op, out, [x], (g) => {
    // Ties share the gradient equally, as torch.amax/amin do.
    const winners = cast(eq(x, spread(out.detach(), x, axes)), g.dtype);
    const share = div(winners, spread(sum(winners, axes, true), x, axes));
    return [mul(share, spread(g, x, axes))];
  });
  return traced(op, out, [x], { axes, keepdim });
}

/** Maximum over `dim` (all axes when omitted), as `torch.amax`. Shape: as `sum`. */
export function max(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return extremum('max', x, dim, keepdim);
}

/** Minimum over `dim` (all axes when omitted), as `torch.amin`. Shape: as `sum`. */
export function min(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return extremum('min', x, dim, keepdim);
}

function argExtremum(
  op: 'max' | 'min',
  x: Tensor,
  dim: number | undefined,
  keepdim: boolean,
): Tensor {
  const name = op === 'max' ? 'argmax' : 'argmin';
  const flat = dim === undefined ? reshape(x.detach(), [x.size]) : x;
  const axis = dim === undefined ? 0 : normalizeAxis(dim, x.ndim, name);
  check(
    flat.shape[axis] > 0,
    name,
    () => `cannot take ${name} over an empty dimension (shape ${fmt(x.shape)})`,
  );
  const dims = middleDims(flat.shape, axis, axis);
  const shape =
    dim === undefined
      ? keepdim
        ? x.shape.map(() => 1)
        : []
      : reducedShape(x.shape, [axis], keepdim);
  const out = empty(shape, 'int32');
  getBackend().argReduce(op, flat.data, dims, out.data as Int32Array);
  // axis null: over the flattened tensor.
  return traced(name, out, [x], { axis: dim === undefined ? null : axis, keepdim });
}

/** Index of the first maximum along `dim` (of the flattened tensor when omitted), int32. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtremum('max', x, dim, keepdim);
}

/** Index of the first minimum along `dim` (of the flattened tensor when omitted), int32. */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtremum('min', x, dim, keepdim);
}

/** Options of `variance` and `std`. */
export interface VarianceOptions {
  /** Subtracted from the count in the divisor: 1 (default) is Bessel's unbiased estimate. */
  correction?: number;
  keepdim?: boolean;
}

/** Variance over `dim` (all axes when omitted), as `torch.var`. Shape: as `sum`. */
export function variance(x: Tensor, dim?: Dims, options: VarianceOptions = {}): Tensor {
  checkFloat(x, 'var');
  const axes = reducedAxes(dim, x.ndim, 'var');
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  const centered = sub(x, mean(x, axes, true));
  const divisor = Math.max(0, count - (options.correction ?? 1));
  return div(sum(mul(centered, centered), axes, options.keepdim ?? false), divisor);
}

/** Standard deviation over `dim` (all axes when omitted), as `torch.std`. Shape: as `sum`. */
export function std(x: Tensor, dim?: Dims, options: VarianceOptions = {}): Tensor {
  return sqrt(variance(x, dim, options));
}

/**
 * log Σ exp(x) over `dim`, computed stably by subtracting the maximum first.
 * Shape: as `sum`.
 */
export function logsumexp(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  checkFloat(x, 'logsumexp');
  const axes = reducedAxes(dim, x.ndim, 'logsumexp');
  const m = max(x.detach(), axes, true);
  // An all −∞ (or ±∞) slice would give ∞ − ∞; shift those by 0 instead.
  const shift = where(eq(sub(m, m), 0), m, 0);
  const out = add(log(sum(exp(sub(x, shift)), axes, true)), shift);
  const result = keepdim ? out : reshape(out, reducedShape(x.shape, axes, false));
  return traced('logsumexp', result, [x], { axes, keepdim });
}
