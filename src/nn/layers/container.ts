import type { Tensor } from '../../tensor/tensor.js';
import { flatten } from '../../ops/reshape.js';
import { add } from '../../ops/arithmetic.js';
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

  /** The module at position i. */
  at(i: number): Module {
    return this.namedChildren()[i][1];
  }

  /** Replaces the module at position i (e.g. a classifier head). */
  set(i: number, m: Module): void {
    (this as unknown as Record<string, Module>)[String(i)] = m;
  }

  forward(x: Tensor): Tensor {
    for (const [, m] of this.namedChildren()) x = m.forward(x);
    return x;
  }
}

/** Returns its input, as `nn.Identity` (a placeholder, e.g. for a removed head). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Flattens dims startDim..endDim (default 1..−1: keep the batch), as `nn.Flatten`. */
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
 * A residual connection: f(x) + shortcut(x), where shortcut is the identity unless given (e.g. a
 * strided 1×1 conv with batch norm when the shape changes), as in ResNet.
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
