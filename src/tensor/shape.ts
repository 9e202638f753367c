import { check, fmt } from './errors.js';

/** A tensor shape: one size per dimension, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a tensor of this shape. */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides, in elements, of a contiguous tensor of this shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Resolves a possibly negative axis against `ndim`, as PyTorch does (`-1` is the last axis). */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  const n = Math.max(ndim, 1);
  check(
    Number.isInteger(axis) && axis >= -n && axis < n,
    op,
    () =>
      `axis ${axis} is out of range for a tensor with ${ndim} dimensions (expected ${-n}..${n - 1})`,
  );
  return axis < 0 ? axis + n : axis;
}

/** The shape two shapes broadcast to under NumPy/PyTorch rules, or a clear error. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    check(
      da === db || da === 1 || db === 1,
      op,
      () =>
        `shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together (dimension ${i - n}: ${da} vs ${db})`,
    );
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a contiguous tensor of `shape` as if it had `target` shape (0 where broadcast). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const strides = contiguousStrides(shape);
  const offset = target.length - shape.length;
  return target.map((_, i) => (i < offset || shape[i - offset] === 1 ? 0 : strides[i - offset]));
}

/** Whether two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks that every entry of a shape is a non-negative integer. */
export function checkShape(shape: Shape, op: string): void {
  check(
    shape.every((d) => Number.isInteger(d) && d >= 0),
    op,
    () => `invalid shape ${fmt(shape)}: sizes must be non-negative integers`,
  );
}
