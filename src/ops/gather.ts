import type { GatherDims } from '../backend/backend.js';
import { isFloat } from '../backend/dtype.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import { normalizeAxis, numel } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { slice } from './slice.js';
import { empty } from './util.js';

/**
 * Picks entries along `dim` by index, as `torch.gather`:
 * out[i₀, …, i_dim, …] = x[i₀, …, index[i₀, …, i_dim, …], …].
 * `index` is an integer tensor with as many dims as x, each entry in 0..x.shape[dim]−1, and no
 * larger than x in the other dims (the first index.shape[d] entries of x are read there). The
 * gradient adds each output gradient back to the entry it was read from (scatter-add).
 * Shape: index.shape.
 *
 * @example gather(logProbs, 1, unsqueeze(target, 1)) // [N, C], [N, 1] → [N, 1]
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const axis = normalizeAxis(dim, x.ndim, 'gather');
  check(
    !isFloat(index.dtype),
    'gather',
    () => `index must be an integer tensor, got ${index.dtype} (convert with .int())`,
  );
  check(
    index.ndim === x.ndim && index.shape.every((d, i) => i === axis || d <= x.shape[i]),
    'gather',
    () =>
      `index of shape ${fmt(index.shape)} must have the ${x.ndim} dims of input ${fmt(x.shape)} and be no larger outside dim ${axis}`,
  );
  const size = x.shape[axis];
  const bad = index.data.find((i) => i < 0 || i >= size);
  check(
    bad === undefined,
    'gather',
    () => `index ${bad} is out of range for dim ${axis} of size ${size} (input ${fmt(x.shape)})`,
  );
  // The kernel reads x with index's extent in every dim but `dim`, so narrow x to it first.
  let src = x;
  index.shape.forEach((d, i) => {
    if (i !== axis && d < x.shape[i]) src = slice(src, i, 0, d);
  });
  const positions = cast(index, 'int32').data as Int32Array;
  const dims: GatherDims = {
    outer: numel(index.shape.slice(0, axis)),
    size,
    count: index.shape[axis],
    inner: numel(index.shape.slice(axis + 1)),
  };
  const out = empty(index.shape, x.dtype);
  getBackend().gather(src.data, positions, dims, out.data);
  return record('gather', out, [src], (g) => {
    const grad = empty(src.shape, g.dtype);
    getBackend().scatterAdd(g.data, positions, dims, grad.data);
    return [grad];
  });
}
