import { record } from '../autograd/node.js';
import { check, fmt } from '../tensor/errors.js';
import { normalizeAxis, numel } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { promoteTypes } from '../backend/dtype.js';
import { unsqueeze } from './reshape.js';
import { slice } from './slice.js';
import { empty } from './util.js';
import { traced } from './trace.js';

/**
 * Joins tensors along an existing dim, as `torch.cat`; all other dims must match.
 * Shape: dim `dim` becomes Σ tensors[i].shape[dim].
 */
export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  check(tensors.length > 0, 'concat', () => 'expected at least one tensor');
  const first = tensors[0];
  check(
    first.ndim > 0,
    'concat',
    () => 'cannot concatenate 0-d tensors (they have no dim to join along); use stack',
  );
  const axis = normalizeAxis(dim, first.ndim, 'concat');
  tensors.forEach((t, i) =>
    check(
      t.ndim === first.ndim && t.shape.every((d, j) => j === axis || d === first.shape[j]),
      'concat',
      () =>
        `tensor ${i} has shape ${fmt(t.shape)} but tensor 0 has ${fmt(first.shape)}; only dim ${axis} may differ`,
    ),
  );
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const sizes = tensors.map((t) => t.shape[axis]);
  const total = sizes.reduce((a, b) => a + b, 0);
  const outer = numel(first.shape.slice(0, axis));
  const inner = numel(first.shape.slice(axis + 1));
  const out = empty(
    first.shape.map((d, j) => (j === axis ? total : d)),
    dtype,
  );
  let offset = 0;
  tensors.forEach((t, i) => {
    const src = cast(t, dtype).data;
    const block = sizes[i] * inner;
    for (let o = 0; o < outer; o++) {
      out.data.set(src.subarray(o * block, (o + 1) * block), (o * total + offset) * inner);
    }
    offset += sizes[i];
  });
  const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  record('concat', out, tensors, (g) =>
    tensors.map((_, i) => slice(g, axis, starts[i], starts[i] + sizes[i])),
  );
  return traced('concat', out, tensors, { axis });
}

/** Joins same-shape tensors along a new dim, as `torch.stack`. Shape: a dim of size n inserted. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  check(tensors.length > 0, 'stack', () => 'expected at least one tensor');
  const axis = normalizeAxis(dim, tensors[0].ndim + 1, 'stack');
  tensors.forEach((t, i) =>
    check(
      t.shape.length === tensors[0].ndim && t.shape.every((d, j) => d === tensors[0].shape[j]),
      'stack',
      () =>
        `tensor ${i} has shape ${fmt(t.shape)} but tensor 0 has ${fmt(tensors[0].shape)}; stack needs equal shapes`,
    ),
  );
  return concat(
    tensors.map((t) => unsqueeze(t, axis)),
    axis,
  );
}

/**
 * Splits along `dim` into pieces of `size` (the last may be smaller) or of the listed sizes, as
 * `torch.split`.
 */
export function split(x: Tensor, size: number | readonly number[], dim = 0): Tensor[] {
  const axis = normalizeAxis(dim, x.ndim, 'split');
  const n = x.shape[axis];
  let sizes: number[];
  if (typeof size === 'number') {
    check(
      Number.isInteger(size) && size > 0,
      'split',
      () => `split size must be a positive integer, got ${size}`,
    );
    sizes = Array.from({ length: Math.max(1, Math.ceil(n / size)) }, (_, i) =>
      Math.min(size, n - i * size),
    );
  } else {
    sizes = [...size];
    check(
      sizes.every((s) => Number.isInteger(s) && s >= 0) && sizes.reduce((a, b) => a + b, 0) === n,
      'split',
      () =>
        `sizes [${sizes.join(', ')}] must be non-negative integers adding up to dim ${dim} of size ${n}`,
    );
  }
  let start = 0;
  return sizes.map((s) => slice(x, axis, start, (start += s)));
}

/** Splits into `chunks` nearly equal pieces along `dim`, as `torch.chunk`. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  const axis = normalizeAxis(dim, x.ndim, 'chunk');
  check(
    Number.isInteger(chunks) && chunks > 0,
    'chunk',
    () => `chunks must be a positive integer, got ${chunks}`,
  );
  return split(x, Math.max(1, Math.ceil(x.shape[axis] / chunks)), axis);
}
