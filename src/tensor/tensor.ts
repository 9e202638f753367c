import type { DType, TypedArray } from '../backend/dtype.js';
import { isFloat } from '../backend/dtype.js';
import type { Node } from '../autograd/node.js';
import { runBackward } from '../autograd/backward.js';
import { check, FoveaError, fmt } from './errors.js';
import { allocStorage, recordTensor, keepInScopes } from './scope-state.js';
import { numel, type Shape } from './shape.js';

/** A nested array of numbers, as `toArray` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/** Reads and replaces a tensor's storage, for the memory scopes (scope.ts) only. */
export let storageAccess: {
  get(t: Tensor): TypedArray | null;
  set(t: Tensor, data: TypedArray | null): void;
};

/**
 * An n-dimensional array of one dtype in contiguous row-major storage, with reverse-mode
 * autodiff. Create tensors with `tensor`, `zeros`, `randn`, ...; compute with ops (`conv2d(x, w)`)
 * or the same ops as methods (`x.reshape([2, -1]).relu()`).
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * x.grad!.toArray(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  /** The size of each dimension. */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
  #data: TypedArray | null;
  readonly #size: number;
  /** Whether a memory scope was open when this tensor was made (it then owns the tensor). */
  readonly #scoped: boolean;
  /** Whether gradients flow to this tensor; set it on leaves you want `.grad` for. */
  requiresGrad = false;
  #grad: Tensor | null = null;
  /** The node that made this tensor, for non-leaf tensors inside a recorded computation. */
  gradFn: Node | null = null;

  /** Wraps `data` (not copied) as a tensor of `shape`; most code should use `tensor()` instead. */
  constructor(data: TypedArray, shape: Shape, dtype: DType) {
    check(
      data.length === numel(shape),
      'Tensor',
      () => `data has ${data.length} elements but shape ${fmt(shape)} needs ${numel(shape)}`,
    );
    this.#data = data;
    this.#size = data.length;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.#scoped = recordTensor(this);
  }

  static {
    storageAccess = {
      get: (t) => t.#data,
      set: (t, data) => {
        t.#data = data;
      },
    };
  }

  /**
   * The elements in row-major order; views (reshape, detach) share this array. Throws once the
   * memory scope (`tidy`) the tensor was made in has ended without keeping it.
   */
  get data(): TypedArray {
    return this.#data ?? released(this);
  }

  /**
   * The accumulated gradient of a leaf after `backward()`, else null. A gradient set inside a
   * memory scope outlives it, as parameters do.
   */
  get grad(): Tensor | null {
    return this.#grad;
  }

  set grad(value: Tensor | null) {
    if (value && value.#scoped) keepInScopes(value);
    this.#grad = value;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return this.#size;
  }

  /** Whether this tensor was created by the user rather than by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Marks this tensor as a leaf that collects gradients (`requires_grad_()`), and returns it. */
  requireGrad(flag = true): this {
    check(
      !flag || isFloat(this.dtype),
      'requireGrad',
      () => `only floating-point tensors can require gradients, this one is ${this.dtype}`,
    );
    this.requiresGrad = flag;
    return this;
  }

  /** The value of a one-element tensor. */
  item(): number {
    check(
      this.size === 1,
      'item',
      () => `tensor has ${this.size} elements (shape ${fmt(this.shape)}), expected 1`,
    );
    return this.data[0];
  }

  /** The elements as nested arrays of numbers, shaped like the tensor. */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.ndim) return this.data[offset];
      const stride = numel(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** A tensor sharing this one's storage, cut off from the graph (no gradient flows through). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.dtype);
  }

  /** An independent copy of this tensor's values, outside the graph. */
  clone(): Tensor {
    const data = allocStorage(this.dtype, this.size, false);
    data.set(this.data);
    return new Tensor(data, this.shape, this.dtype);
  }

  /**
   * Back-propagates from this tensor: adds d(this)/d(leaf) to `.grad` of every leaf that requires
   * gradients. A non-scalar tensor needs the upstream `gradient` (same shape), as in PyTorch.
   */
  backward(gradient?: Tensor): void {
    runBackward(this, gradient);
  }

  /** Clears the accumulated gradient. */
  zeroGrad(): void {
    this.grad = null;
  }

  /** A short description: shape, dtype and the first values. */
  toString(): string {
    const shown = Array.from(this.data.subarray(0, 8), (v) => +v.toPrecision(5));
    const more = this.size > 8 ? ', ...' : '';
    return `Tensor(${fmt(this.shape)}, ${this.dtype}, [${shown.join(', ')}${more}])`;
  }
}

function released(t: Tensor): never {
  throw new FoveaError(
    'Tensor',
    `this tensor (shape ${fmt(t.shape)}) was released when the memory scope (tidy) it was made ` +
      'in ended; return it from the tidy function, or keep() it, to use it afterwards',
  );
}
