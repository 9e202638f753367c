import { check, fmt } from '../tensor/errors.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { gatherMap, mapAxis } from './axis-map.js';
import { squeeze } from './reshape.js';
import { traced } from './trace.js';

/**
 * Elements start, start+step, ... before end along `dim`, like Python's `x[start:end:step]`:
 * negative indices count from the end and bounds are clamped. step must be positive.
 * Shape: dim `dim` becomes max(0, ⌈(end − start) / step⌉).
 */
export function slice(x: Tensor, dim: number, start = 0, end = Infinity, step = 1): Tensor {
  const axis = normalizeAxis(dim, x.ndim, 'slice');
  check(
    Number.isInteger(step) && step > 0,
    'slice',
    () => `step must be a positive integer, got ${step}`,
  );
  check(
    [start, end].every((i) => Number.isInteger(i) || Math.abs(i) === Infinity),
    'slice',
    () => `start and end must be integers, got ${start} and ${end}`,
  );
  const n = x.shape[axis];
  const clampIndex = (i: number) => Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const [s, e] = [clampIndex(start), clampIndex(end)];
  const count = Math.max(0, Math.ceil((e - s) / step));
  const out = mapAxis(
    x,
    axis,
    gatherMap(count, (o) => s + o * step),
    'slice',
  );
  return traced('slice', out, [x], { axis, start: s, end: e, step });
}

/**
 * The entry at `index` of dim `dim` (negative counts from the end), with that dim removed, like
 * `x[:, index]`. Shape: x's shape without dim `dim`.
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const axis = normalizeAxis(dim, x.ndim, 'select');
  const n = x.shape[axis];
  check(
    Number.isInteger(index) && index >= -n && index < n,
    'select',
    () => `index ${index} is out of range for dim ${dim} of size ${n} (shape ${fmt(x.shape)})`,
  );
  return squeeze(
    slice(x, axis, index < 0 ? index + n : index, (index < 0 ? index + n : index) + 1),
    axis,
  );
}

/**
 * The entries of dim `dim` listed in `index` (a 1-D integer tensor, repeats allowed), as
 * `torch.index_select`. Shape: dim `dim` becomes index.length.
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const axis = normalizeAxis(dim, x.ndim, 'indexSelect');
  check(
    index.ndim === 1 && (index.dtype === 'int32' || index.dtype === 'uint8'),
    'indexSelect',
    () => `index must be a 1-D integer tensor, got ${index.dtype} of shape ${fmt(index.shape)}`,
  );
  const n = x.shape[axis];
  const bad = Array.from(index.data).find((i) => i < -n || i >= n);
  check(
    bad === undefined,
    'indexSelect',
    () => `index ${bad} is out of range for dim ${dim} of size ${n}`,
  );
  const out = mapAxis(
    x,
    axis,
    gatherMap(index.size, (o) => (index.data[o] + n) % n),
    'indexSelect',
  );
  return traced('indexSelect', out, [x, index], { axis });
}

/** `length` entries of dim `dim` from `start`, as `torch.narrow`. Shape: dim `dim` becomes length. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const axis = normalizeAxis(dim, x.ndim, 'narrow');
  const n = x.shape[axis];
  const s = start < 0 ? start + n : start;
  check(
    s >= 0 && length >= 0 && s + length <= n,
    'narrow',
    () => `start ${start} and length ${length} do not fit dim ${dim} of size ${n}`,
  );
  return slice(x, axis, s, s + length);
}
