import { getBackend } from '../tensor/backend-registry.js';
import { full } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkNonNegative,
  Optimizer,
  withDefaults,
  type ParamGroup,
  type Params,
} from './optimizer.js';

/** Options of Adagrad: PyTorch's, with its defaults. */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Step t uses lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

const ADAGRAD_DEFAULTS: Required<AdagradOptions> = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

type AdagradState = { step: number; sum: Tensor };

/**
 * Adagrad, exactly `torch.optim.Adagrad`: each element's sum of squared gradients s += g² scales
 * its step, p −= lr/(1 + (t − 1)·lrDecay) · g / (√s + eps) at step t.
 *
 * @example
 * const opt = new Adagrad(model.parameters(), { lr: 0.05, lrDecay: 1e-4 });
 */
export class Adagrad extends Optimizer<Required<AdagradOptions>, AdagradState> {
  constructor(params: Params<Required<AdagradOptions>>, options: AdagradOptions = {}) {
    super(params, withDefaults('Adagrad', ADAGRAD_DEFAULTS, options));
  }

  protected checkOptions(options: Required<AdagradOptions>): void {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps } = options;
    checkNonNegative(this.name, { lr, lrDecay, weightDecay, initialAccumulatorValue, eps });
  }

  protected initState(param: Tensor, group: ParamGroup<Required<AdagradOptions>>): AdagradState {
    return {
      step: 0,
      sum: full(param.shape, group.initialAccumulatorValue, { dtype: param.dtype }),
    };
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: AdagradState,
    group: ParamGroup<Required<AdagradOptions>>,
  ): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    const step = ++state.step;
    getBackend().adagradUpdate({
      param: param.data,
      grad: grad.data,
      sum: state.sum.data,
      lr: lr / (1 + (step - 1) * lrDecay),
      eps,
      weightDecay,
      maximize,
    });
  }
}
