import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import {
  broadcastStrides,
  contiguousStrides,
  normalizeAxis,
  sameShape,
  type Shape,
} from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sumTo } from './sum-to.js';
import { uninitialized, view } from './util.js';
import { traced } from './trace.js';

/**
 * Reorders dims: output dim i is input dim `dims[i]` (a copy into contiguous storage).
 * Shape: [x.shape[dims[0]], x.shape[dims[1]], ...].
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const axes = dims.map((d) => normalizeAxis(d, x.ndim, 'permute'));
  check(
    axes.length === x.ndim && new Set(axes).size === x.ndim,
    'permute',
    () =>
      `dims [${dims.join(', ')}] must name each of the ${x.ndim} dimensions of ${fmt(x.shape)} once`,
  );
  if (axes.every((a, i) => a === i)) return x;
  const strides = contiguousStrides(x.shape);
  const shape = axes.map((a) => x.shape[a]);
  const out = uninitialized(shape, x.dtype);
  getBackend().copy(
    view(
      x,
      axes.map((a) => strides[a]),
    ),
    out.data,
    shape,
  );
  const inverse = new Array<number>(axes.length);
  axes.forEach((a, i) => (inverse[a] = i));
  record('permute', out, [x], (g) => [permute(g, inverse)]);
  return traced('permute', out, [x], { axes });
}

/** Swaps two dims. Shape: x's shape with dim0 and dim1 exchanged. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const dims = x.shape.map((_, i) => i);
  const [a, b] = [
    normalizeAxis(dim0, x.ndim, 'transpose'),
    normalizeAxis(dim1, x.ndim, 'transpose'),
  ];
  // Also covers a 0-d tensor, whose only axis (0 or −1) has no entry in dims to swap.
  if (a === b) return x;
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return permute(x, dims);
}

/**
 * Broadcasts x to `shape` (size-1 dims repeat; new leading dims are added), as `expand` /
 * `broadcast_to`; −1 keeps a size. The gradient sums over the repeats. Shape: `shape`.
 */
export function expand(x: Tensor, shape: Shape): Tensor {
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  const fits =
    lead >= 0 &&
    target.every((d) => Number.isInteger(d) && d >= 0) &&
    x.shape.every((d, i) => d === target[i + lead] || d === 1);
  check(
    fits,
    'expand',
    () => `cannot expand ${fmt(x.shape)} to ${fmt(shape)}: only size-1 dims can grow`,
  );
  if (sameShape(x.shape, target)) return x;
  const out = uninitialized(target, x.dtype);
  getBackend().copy(view(x, broadcastStrides(x.shape, target)), out.data, target);
  record('expand', out, [x], (g) => [sumTo(g, x.shape)]);
  return traced('expand', out, [x]);
}
