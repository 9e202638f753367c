import type { Tensor } from '../../tensor/tensor.js';
import {
  alphaDropout,
  dropout,
  dropout1d,
  dropout2d,
  dropout3d,
  featureAlphaDropout,
} from '../../ops/dropout.js';
import { Module } from '../module.js';
import { checkProbability } from './args.js';

/**
 * A dropout layer: drops with probability p in training mode and is the identity in eval mode.
 * Masks come from the default generator, so `manualSeed` makes them repeatable. The classes below
 * only pick the op (which elements or channels are dropped, and how the rest are rescaled).
 */
abstract class DropoutLayer extends Module {
  protected constructor(
    readonly p: number,
    private readonly drop: typeof dropout,
  ) {
    super();
    checkProbability(this.constructor.name, 'p', p);
  }

  forward(x: Tensor): Tensor {
    return this.drop(x, { p: this.p, training: this.training });
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/**
 * Zeroes each element with probability p while training and scales the rest by 1/(1−p), as
 * `nn.Dropout`.
 *
 * @example new Sequential(new Linear(256, 128), new ReLU(), new Dropout(0.5), new Linear(128, 10))
 */
export class Dropout extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, dropout);
  }
}

/** Zeroes whole channels of [N, C, L] or [C, L] while training, as `nn.Dropout1d`. */
export class Dropout1d extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, dropout1d);
  }
}

/**
 * Zeroes whole feature maps of [N, C, H, W] or [C, H, W] while training, as `nn.Dropout2d`
 * (neighbouring pixels are correlated, so dropping single ones regularises little).
 */
export class Dropout2d extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, dropout2d);
  }
}

/** Zeroes whole volumes of [N, C, D, H, W] or [C, D, H, W] while training, as `nn.Dropout3d`. */
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

/** Alpha dropout of whole channels (dim 1), as `nn.FeatureAlphaDropout`. */
export class FeatureAlphaDropout extends DropoutLayer {
  constructor(p = 0.5) {
    super(p, featureAlphaDropout);
  }
}
