import { record } from '../autograd/node.js';
import { check, fmt } from '../tensor/errors.js';
import { normalizeAxis, numel, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { traced } from './trace.js';

/** Resolves one −1 entry of a target shape from the element count. */
function resolveShape(x: Tensor, shape: Shape): number[] {
  const unknown = shape.filter((d) => d === -1).length;
  check(
    unknown <= 1 && shape.every((d) => d === -1 || (Number.isInteger(d) && d >= 0)),
    'reshape',
    () =>
      `invalid target shape ${fmt(shape)}: sizes must be non-negative integers with at most one -1`,
  );
  const known = numel(shape.filter((d) => d !== -1));
  check(
    unknown === 0 || known > 0,
    'reshape',
    () => `the -1 in ${fmt(shape)} is ambiguous: the other sizes multiply to 0`,
  );
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  check(
    numel(resolved) === x.size && resolved.every(Number.isInteger),
    'reshape',
    () => `cannot reshape ${fmt(x.shape)} (${x.size} elements) into ${fmt(shape)}`,
  );
  return resolved;
}

/**
 * The same elements in a new shape; one entry may be −1 (inferred). Shares storage (a view).
 * Shape: `shape`, with ∏shape = ∏x.shape.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const out = new Tensor(x.data, resolveShape(x, shape), x.dtype);
  record('reshape', out, [x], (g) => [reshape(g, x.shape)]);
  return traced('reshape', out, [x]);
}

/**
 * Flattens dims startDim..endDim into one, as `torch.flatten` (defaults: all dims).
 * Shape: [...x.shape[:start], ∏x.shape[start..end], ...x.shape[end+1:]].
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis(startDim, x.ndim, 'flatten');
  const e = normalizeAxis(endDim, x.ndim, 'flatten');
  check(s <= e, 'flatten', () => `startDim (${startDim}) must not come after endDim (${endDim})`);
  return reshape(x, [
    ...x.shape.slice(0, s),
    numel(x.shape.slice(s, e + 1)),
    ...x.shape.slice(e + 1),
  ]);
}

/**
 * Removes size-1 dims: the one at `dim`, or all when omitted (a dim of another size is kept, as in
 * PyTorch). Shape: x's shape without those dims.
 */
export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const axis = normalizeAxis(dim, x.ndim, 'squeeze');
  return x.shape[axis] === 1
    ? reshape(
        x,
        x.shape.filter((_, i) => i !== axis),
      )
    : x;
}

/** Inserts a size-1 dim at `dim` (−1 appends). Shape: x's shape with a 1 inserted. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const axis = normalizeAxis(dim, x.ndim + 1, 'unsqueeze');
  return reshape(x, [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)]);
}
