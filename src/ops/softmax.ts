import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './reshape.js';
import { exp } from './unary.js';
import { checkFloat, middleDims, uninitialized } from './util.js';
import { traced } from './trace.js';

/**
 * log(softmax(x)) along `dim`: x − log Σ_dim exp(x), as `F.log_softmax(x, dim)`. Stable: the
 * log-sum-exp subtracts the maximum first. `dim` defaults to the last dim (PyTorch asks for it
 * explicitly; pass 1 for [N, C, ...] logits). Shape: unchanged.
 *
 * @example logSoftmax(logits, 1) // [N, C]: log-probabilities of each row
 */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  checkFloat(x, 'logSoftmax');
  const axis = normalizeAxis(dim, x.ndim, 'logSoftmax');
  // A 0-d tensor is a single entry along its one implicit dim, as PyTorch treats it.
  if (x.ndim === 0) return reshape(logSoftmax(reshape(x, [1]), 0), []);
  const dims = middleDims(x.shape, axis, axis);
  const y = uninitialized(x.shape, x.dtype);
  getBackend().logSoftmax(x.data, dims, y.data);
  record('logSoftmax', y, [x], (g) => {
    const gx = uninitialized(x.shape, x.dtype);
    getBackend().logSoftmaxBackward(y.data, g.data, dims, gx.data);
    return [gx];
  });
  return traced('logSoftmax', y, [x], { axis });
}

/**
 * exp(x) / Σ_dim exp(x) along `dim`, as `F.softmax(x, dim)`: entries along `dim` are positive and
 * sum to 1. Computed as exp(logSoftmax(x, dim)), so it is stable for large logits. `dim` defaults
 * to the last dim. Shape: unchanged.
 *
 * @example softmax(tensor([[1, 2, 3]]), 1) // [[0.090, 0.245, 0.665]]
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  checkFloat(x, 'softmax');
  const axis = normalizeAxis(dim, x.ndim, 'softmax');
  return traced('softmax', exp(logSoftmax(x, axis)), [x], { axis });
}
