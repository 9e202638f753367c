import type { Tensor } from '../../tensor/tensor.js';
import { alphaDropout, dropout, dropout1d, dropout2d, dropout3d } from '../../ops/dropout.js';
import { Module } from '../module.js';

/** A dropout layer: active in training mode only, with a fixed probability p. */
abstract class DropoutLayer extends Module {
  protected constructor(
    readonly p: number,
    private readonly drop: typeof dropout,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.drop(x, { p: this.p, training: this.training });
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Zeroes each element with probability p in training and scales the rest by 1/(1−p), as `nn.Dropout`. */
export class Dropout extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, dropout);
  }
}

/** Zeroes whole channels of [N, C, L], as `nn.Dropout1d`. */
export class Dropout1d extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, dropout1d);
  }
}

/** Zeroes whole feature maps of [N, C, H, W], as `nn.Dropout2d`. */
export class Dropout2d extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, dropout2d);
  }
}

/** Zeroes whole volumes of [N, C, D, H, W], as `nn.Dropout3d`. */
export class Dropout3d extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, dropout3d);
  }
}

/** Dropout that keeps SELU's self-normalising mean and variance, as `nn.AlphaDropout`. */
export class AlphaDropout extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, alphaDropout);
  }
}
