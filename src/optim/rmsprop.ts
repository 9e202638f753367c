import { getBackend } from '../tensor/backend-registry.js';
import { zerosLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkNonNegative,
  Optimizer,
  withDefaults,
  type ParamGroup,
  type Params,
} from './optimizer.js';

/** Options of RMSprop: PyTorch's, with its defaults. */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the running average of squared gradients (default 0.99). */
  alpha?: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance rather than its second moment (default false). */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

const RMSPROP_DEFAULTS: Required<RMSpropOptions> = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

type RMSpropState = { squareAvg: Tensor; gradAvg?: Tensor; momentumBuffer?: Tensor };

/**
 * RMSprop, exactly `torch.optim.RMSprop`: s = α·s + (1 − α)·g²; the denominator is √s + eps, or
 * √(s − ḡ²) + eps when `centered` (ḡ = α·ḡ + (1 − α)·g); the step is p −= lr·g/denominator, or with
 * momentum b = momentum·b + g/denominator, p −= lr·b.
 *
 * @example
 * const opt = new RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9, centered: true });
 */
export class RMSprop extends Optimizer<Required<RMSpropOptions>, RMSpropState> {
  constructor(params: Params<Required<RMSpropOptions>>, options: RMSpropOptions = {}) {
    super(params, withDefaults('RMSprop', RMSPROP_DEFAULTS, options));
  }

  protected checkOptions({
    lr,
    alpha,
    eps,
    weightDecay,
    momentum,
  }: Required<RMSpropOptions>): void {
    checkNonNegative(this.name, { lr, alpha, eps, weightDecay, momentum });
  }

  protected initState(param: Tensor): RMSpropState {
    return { squareAvg: zerosLike(param) };
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: RMSpropState,
    group: ParamGroup<Required<RMSpropOptions>>,
  ): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    if (centered) state.gradAvg ??= zerosLike(param);
    if (momentum > 0) state.momentumBuffer ??= zerosLike(param);
    getBackend().rmspropUpdate({
      param: param.data,
      grad: grad.data,
      squareAvg: state.squareAvg.data,
      gradAvg: centered ? state.gradAvg!.data : null,
      momentumBuffer: momentum > 0 ? state.momentumBuffer!.data : null,
      lr,
      alpha,
      eps,
      weightDecay,
      momentum,
      maximize,
    });
  }
}
