import type { DType, TypedArray } from '../backend/dtype.js';
import { dtypeOf } from '../backend/dtype.js';
import { allocStorage } from './scope-state.js';
import { check, fmt } from './errors.js';
import { defaultGenerator, type Generator } from './random.js';
import { checkShape, numel, type Shape } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** Element type; float32 unless given (int32 for `arange`/`randint` of integers). */
  dtype?: DType;
  /** Make the result a leaf that collects gradients. */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** The generator to draw from; the default one (seeded by `manualSeed`) otherwise. */
  generator?: Generator;
}

function make(data: TypedArray, shape: Shape, dtype: DType, requiresGrad = false): Tensor {
  return new Tensor(data, shape, dtype).requireGrad(requiresGrad);
}

function filled(shape: Shape, options: CreateOptions, fill: (i: number) => number, op: string) {
  checkShape(shape, op);
  const dtype = options.dtype ?? 'float32';
  const data = allocStorage(dtype, numel(shape), false);
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return make(data, shape, dtype, options.requiresGrad);
}

/**
 * A tensor from nested arrays, a number, or a typed array with an explicit shape.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);                       // float32, shape [2, 2]
 * tensor(new Uint8Array(784), { shape: [28, 28] }); // uint8 pixels
 */
export function tensor(
  values: NestedArray | TypedArray,
  options: CreateOptions & { shape?: Shape } = {},
): Tensor {
  if (ArrayBuffer.isView(values)) {
    const shape = options.shape ?? [values.length];
    checkShape(shape, 'tensor');
    const dtype = options.dtype ?? dtypeOf(values);
    check(
      numel(shape) === values.length,
      'tensor',
      () =>
        `typed array has ${values.length} elements but shape ${fmt(shape)} needs ${numel(shape)}`,
    );
    const data = allocStorage(dtype, values.length, false);
    data.set(values);
    return make(data, shape, dtype, options.requiresGrad);
  }
  const shape = inferShape(values);
  const flat: unknown[] = Array.isArray(values) ? (values as unknown[]).flat(Infinity) : [values];
  check(
    flat.length === numel(shape),
    'tensor',
    () =>
      `nested arrays are ragged: expected ${numel(shape)} numbers for shape ${fmt(shape)}, found ${flat.length}`,
  );
  check(
    flat.every((v) => typeof v === 'number'),
    'tensor',
    () => 'values must be numbers or nested arrays of numbers',
  );
  const resolved = options.shape ?? shape;
  return filled(resolved, options, (i) => flat[i] as number, 'tensor');
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

/** A tensor of `shape` filled with zeros. */
export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return filled(shape, options, () => 0, 'zeros');
}

/** A tensor of `shape` filled with ones. */
export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return filled(shape, options, () => 1, 'ones');
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  return filled(shape, options, () => value, 'full');
}

/** Zeros with the shape and dtype of `t`. */
export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...options });
}

/** Ones with the shape and dtype of `t`. */
export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options });
}

/**
 * Evenly spaced values in [start, end) (`arange(end)` starts at 0). Integer arguments give int32,
 * as in PyTorch.
 *
 * @example arange(0, 1, 0.25) // [0, 0.25, 0.5, 0.75]
 */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  check(step !== 0, 'arange', () => 'step must be non-zero');
  const count = Math.max(0, Math.ceil((end - start) / step));
  const integral = [start, end, step].every(Number.isInteger);
  const dtype = options.dtype ?? (integral ? 'int32' : 'float32');
  return filled([count], { ...options, dtype }, (i) => start + i * step, 'arange');
}

/** Uniform samples in [0, 1). */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  return uniform(shape, 0, 1, options);
}

/** Uniform samples in [low, high). */
export function uniform(
  shape: Shape,
  low: number,
  high: number,
  options: RandomOptions = {},
): Tensor {
  const g = options.generator ?? defaultGenerator;
  return filled(shape, options, () => low + (high - low) * g.uniform(), 'uniform');
}

/** Standard normal samples. */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  return normal(shape, 0, 1, options);
}

/** Normal samples with the given mean and standard deviation. */
export function normal(
  shape: Shape,
  mean: number,
  std: number,
  options: RandomOptions = {},
): Tensor {
  const g = options.generator ?? defaultGenerator;
  return filled(shape, options, () => mean + std * g.normal(), 'normal');
}

/** Uniform integers in [low, high), int32 unless another dtype is given. */
export function randint(
  low: number,
  high: number,
  shape: Shape,
  options: RandomOptions = {},
): Tensor {
  check(
    Number.isInteger(low) && Number.isInteger(high) && high > low,
    'randint',
    () => `expected integers low < high, got low=${low} high=${high}`,
  );
  const g = options.generator ?? defaultGenerator;
  return filled(shape, { dtype: 'int32', ...options }, () => g.integer(low, high), 'randint');
}
