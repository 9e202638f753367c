import type { Tensor } from '../../tensor/tensor.js';
import {
  crossEntropy,
  nllLoss,
  type CrossEntropyOptions,
  type NllLossOptions,
} from '../../ops/cross-entropy.js';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  huberLoss,
  l1Loss,
  mseLoss,
  smoothL1Loss,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
  type HuberLossOptions,
  type LossOptions,
  type SmoothL1LossOptions,
} from '../../ops/loss.js';

/**
 * A loss as an object with fixed options, as PyTorch's loss modules (`nn.CrossEntropyLoss()`).
 *
 * Not a Module, for two reasons: Module.forward takes one input and a loss takes two (input and
 * target), and a loss has nothing to train or save (PyTorch's class weights are options here, not
 * state-dict buffers). A fit loop only needs `forward(input, target)`; subclass Loss, or pass
 * any object with that method, for a loss of your own.
 *
 * @example
 * const criterion = new CrossEntropyLoss({ labelSmoothing: 0.1 });
 * criterion.forward(logits, target).backward(); // logits [N, C], target [N] (int32 class indices)
 */
export abstract class Loss<O extends object = LossOptions> {
  protected constructor(
    readonly options: O,
    private readonly fn: (input: Tensor, target: Tensor, options: O) => Tensor,
  ) {}

  /** The loss of `input` against `target`, reduced as options.reduction says. */
  forward(input: Tensor, target: Tensor): Tensor {
    return this.fn(input, target, this.options);
  }

  /** The class name and parentheses, as PyTorch prints a loss (`CrossEntropyLoss()`). */
  toString(): string {
    return `${this.constructor.name}()`;
  }
}

/** Cross-entropy of logits against class indices or probabilities, as `nn.CrossEntropyLoss`. */
export class CrossEntropyLoss extends Loss<CrossEntropyOptions> {
  constructor(options: CrossEntropyOptions = {}) {
    super(options, crossEntropy);
  }
}

/** Negative log-likelihood of log-probabilities, as `nn.NLLLoss`. */
export class NLLLoss extends Loss<NllLossOptions> {
  constructor(options: NllLossOptions = {}) {
    super(options, nllLoss);
  }
}

/** Mean squared error, as `nn.MSELoss`. */
export class MSELoss extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, mseLoss);
  }
}

/** Mean absolute error, as `nn.L1Loss`. */
export class L1Loss extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, l1Loss);
  }
}

/** Smooth L1 (quadratic below beta), as `nn.SmoothL1Loss`. */
export class SmoothL1Loss extends Loss<SmoothL1LossOptions> {
  constructor(options: SmoothL1LossOptions = {}) {
    super(options, smoothL1Loss);
  }
}

/** Huber loss (quadratic below delta), as `nn.HuberLoss`. */
export class HuberLoss extends Loss<HuberLossOptions> {
  constructor(options: HuberLossOptions = {}) {
    super(options, huberLoss);
  }
}

/** Binary cross-entropy of probabilities, as `nn.BCELoss`. */
export class BCELoss extends Loss<BinaryCrossEntropyOptions> {
  constructor(options: BinaryCrossEntropyOptions = {}) {
    super(options, binaryCrossEntropy);
  }
}

/** Binary cross-entropy of logits, computed stably, as `nn.BCEWithLogitsLoss`. */
export class BCEWithLogitsLoss extends Loss<BinaryCrossEntropyWithLogitsOptions> {
  constructor(options: BinaryCrossEntropyWithLogitsOptions = {}) {
    super(options, binaryCrossEntropyWithLogits);
  }
}
