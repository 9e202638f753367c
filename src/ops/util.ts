import type { ReduceDims, Strided } from '../backend/backend.js';
import { isFloat, type DType } from '../backend/dtype.js';
import { allocStorage } from '../tensor/scope-state.js';
import { check, fmt } from '../tensor/errors.js';
import { contiguousStrides, numel, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor or a plain number, as arithmetic ops accept. */
export type TensorLike = Tensor | number;

/** A new, zero-filled tensor of `shape` and `dtype` on the current backend. */
export function empty(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocStorage(dtype, numel(shape)), shape, dtype);
}

/**
 * A new tensor for an output that its kernel writes whole before anything reads it: as `empty`,
 * but inside a memory scope its storage is not zero-filled first (a full pass over memory saved).
 */
export function uninitialized(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocStorage(dtype, numel(shape), false), shape, dtype);
}

/** x's shape viewed as [outer, size, inner] around the adjacent axes first..last. */
export function middleDims(shape: readonly number[], first: number, last: number): ReduceDims {
  return {
    outer: numel(shape.slice(0, first)),
    size: numel(shape.slice(first, last + 1)),
    inner: numel(shape.slice(last + 1)),
  };
}

/** A contiguous tensor read as a strided view (its own strides, offset 0). */
export function view(t: Tensor, strides: readonly number[] = contiguousStrides(t.shape)): Strided {
  return { data: t.data, offset: 0, strides };
}

/** A 0-d tensor holding `value`, of `dtype`. */
export function scalar(value: number, dtype: DType): Tensor {
  const t = empty([], dtype);
  t.data[0] = value;
  return t;
}

/**
 * Turns a number into a 0-d tensor that will not change `like`'s dtype (a fractional number with
 * an integer tensor gives float32, as in PyTorch).
 */
export function toTensor(value: TensorLike, like: Tensor): Tensor {
  if (value instanceof Tensor) return value;
  const dtype = isFloat(like.dtype) || Number.isInteger(value) ? like.dtype : 'float32';
  return scalar(value, dtype);
}

/** Checks that a tensor has a floating-point dtype, naming the op (a common confusion). */
export function checkFloat(t: Tensor, op: string, what = 'input'): void {
  check(
    isFloat(t.dtype),
    op,
    () => `${what} must be a floating-point tensor, got ${t.dtype} (convert with .float())`,
  );
}

/** Checks that a tensor has `ndim` dimensions, naming the layout the op expects. */
export function checkNdim(
  t: Tensor,
  ndims: readonly number[],
  op: string,
  layout: string,
  what = 'input',
): void {
  check(
    ndims.includes(t.ndim),
    op,
    () =>
      `expected ${what} of ${ndims.join(' or ')} dimensions (${layout}), got shape ${fmt(t.shape)}`,
  );
}

/**
 * Normalises a per-dimension argument (`3`, `[3, 3]`) to `d` entries, checking each is an integer
 * at least `min`.
 */
export function tuple(
  value: number | readonly number[],
  d: number,
  op: string,
  name: string,
  min = 0,
): number[] {
  check(
    typeof value === 'number' || Array.isArray(value),
    op,
    () => `${name} must be a number or a list of ${d} numbers, got ${String(value)}`,
  );
  const list = typeof value === 'number' ? new Array<number>(d).fill(value) : [...value];
  check(list.length === d, op, () => `${name} must have ${d} entries, got [${list.join(', ')}]`);
  check(
    list.every((v) => Number.isInteger(v) && v >= min),
    op,
    () => `${name} must be integers ≥ ${min}, got [${list.join(', ')}]`,
  );
  return list;
}
