import { check } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { flatten } from '../../ops/reshape.js';
import { add } from '../../ops/arithmetic.js';
import { inLayer } from '../layer-error.js';
import { Module } from '../module.js';

/**
 * Runs modules one after another, as `nn.Sequential`; children are named '0', '1', ... so
 * parameter names read `features.0.weight`.
 *
 * @example new Sequential(new Conv2d(1, 8, 3), new ReLU(), new Flatten())
 */
export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => this.set(i, m));
  }

  /** The number of modules. */
  get length(): number {
    return this.namedChildren().length;
  }

  /** The module at position i; negative i counts from the end (`at(-1)` is the last). */
  at(i: number): Module {
    return this.namedChildren()[this.index(i)][1];
  }

  /** Replaces the module at position i (e.g. a classifier head), or appends at i = length. */
  set(i: number, m: Module): void {
    const index = i === this.length ? i : this.index(i);
    (this as unknown as Record<string, Module>)[String(index)] = m;
  }

  /** Adds a module at the end; returns this. */
  append(m: Module): this {
    this.set(this.length, m);
    return this;
  }

  forward(x: Tensor): Tensor {
    for (const [name, m] of this.namedChildren()) x = inLayer(name, m, () => m.forward(x));
    return x;
  }

  private index(i: number): number {
    const n = this.length;
    check(
      Number.isInteger(i) && i >= -n && i < n,
      'Sequential',
      () => `index ${i} is out of range for ${n} modules`,
    );
    return i < 0 ? i + n : i;
  }
}

/** Returns its input, as `nn.Identity` (a placeholder, e.g. for a removed head). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/**
 * Flattens dims startDim..endDim into one (default 1..−1: everything but the batch), as
 * `nn.Flatten`.
 *
 * @example new Flatten() // [N, 64, 7, 7] → [N, 3136]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  protected override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * A residual connection, body(x) + shortcut(x), as in ResNet; the shortcut is the identity unless
 * given (e.g. a strided 1×1 conv with batch norm where the body changes the shape). State-dict
 * names: body.*, shortcut.*.
 *
 * @example new Residual(new Sequential(new Conv2d(64, 64, 3, { padding: 1 }), new BatchNorm2d(64)))
 */
export class Residual extends Module {
  readonly shortcut: Module;

  constructor(
    readonly body: Module,
    shortcut?: Module,
  ) {
    super();
    this.shortcut = shortcut ?? new Identity();
  }

  forward(x: Tensor): Tensor {
    return add(this.body.forward(x), this.shortcut.forward(x));
  }
}
