import { getBackend } from '../tensor/backend-registry.js';
import { zerosLike } from '../tensor/create.js';
import { check } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkNonNegative,
  Optimizer,
  withDefaults,
  type OptimizerOptions,
  type ParamGroup,
  type Params,
} from './optimizer.js';

/** Options of SGD: PyTorch's, with its defaults (lr has none). */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor (default 0: plain gradient descent). */
  momentum?: number;
  /** The new gradient enters the momentum buffer scaled by 1 − dampening (default 0). */
  dampening?: number;
  /** L2 penalty: weightDecay·p is added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

const SGD_DEFAULTS: Omit<Required<SGDOptions>, 'lr'> = {
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

type SGDState = { momentumBuffer?: Tensor };

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight
 * decay: exactly `torch.optim.SGD`. With d = g + weightDecay·p, the momentum buffer starts as d and
 * then becomes b = momentum·b + (1 − dampening)·d; the step is p −= lr·(d + momentum·b) with
 * Nesterov, p −= lr·b without.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
 */
export class SGD extends Optimizer<Required<SGDOptions>, SGDState> {
  constructor(params: Params<Required<SGDOptions>>, options: SGDOptions) {
    check(
      typeof options?.lr === 'number',
      'SGD',
      () => 'lr is required (PyTorch has no default either), e.g. new SGD(params, { lr: 0.01 })',
    );
    super(params, withDefaults('SGD', { lr: options.lr, ...SGD_DEFAULTS }, options));
  }

  protected checkOptions({
    lr,
    momentum,
    weightDecay,
    nesterov,
    dampening,
  }: Required<SGDOptions>): void {
    checkNonNegative(this.name, { lr, momentum, weightDecay });
    check(
      !nesterov || (momentum > 0 && dampening === 0),
      this.name,
      () =>
        `Nesterov momentum needs momentum > 0 and dampening 0, got momentum ${momentum} and dampening ${dampening}`,
    );
  }

  protected initState(): SGDState {
    return {};
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: SGDState,
    group: ParamGroup<Required<SGDOptions>>,
  ): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    // The buffer is born on the first step with momentum, as a copy of d: no dampening then.
    const firstStep = momentum !== 0 && state.momentumBuffer === undefined;
    if (firstStep) state.momentumBuffer = zerosLike(param);
    getBackend().sgdUpdate({
      param: param.data,
      grad: grad.data,
      momentumBuffer: momentum !== 0 ? state.momentumBuffer!.data : null,
      lr,
      momentum,
      dampening,
      weightDecay,
      nesterov,
      maximize,
      firstStep,
    });
  }
}
