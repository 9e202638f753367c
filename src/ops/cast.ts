import type { DType } from '../backend/dtype.js';
import { isFloat } from '../backend/dtype.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import type { Tensor } from '../tensor/tensor.js';
import { uninitialized } from './util.js';
import { traced } from './trace.js';

/**
 * Converts to another dtype (`x.to('float64')`); the same tensor when it already has it.
 * Float-to-float casts pass gradients through; casts to integers cut the graph.
 *
 * Shape: unchanged.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = uninitialized(x.shape, dtype);
  // Typed-array stores convert: floats to integers truncate toward zero, as PyTorch does.
  getBackend().unary('copy', x.data, out.data);
  if (isFloat(dtype)) record('cast', out, [x], (g) => [cast(g, x.dtype)]);
  return traced('cast', out, [x], { dtype });
}
