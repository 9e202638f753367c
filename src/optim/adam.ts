import { getBackend } from '../tensor/backend-registry.js';
import { zerosLike } from '../tensor/create.js';
import { check } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkNonNegative,
  Optimizer,
  withDefaults,
  type ParamGroup,
  type Params,
} from './optimizer.js';

/** Options of Adam and AdamW: PyTorch's, with its defaults. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Normalize by the running maximum of the second moment (AMSGrad; default false). */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

const ADAM_DEFAULTS: Required<AdamOptions> = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
};

type AdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor };

/**
 * Adam, exactly `torch.optim.Adam`: with g the gradient (plus weightDecay·p), m = β1·m + (1 − β1)·g,
 * v = β2·v + (1 − β2)·g², and after t steps p −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps);
 * with `amsgrad` the running maximum of v replaces v.
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 3e-4 });
 */
export class Adam extends Optimizer<Required<AdamOptions>, AdamState> {
  /** AdamW decays the weights directly instead of adding an L2 term to the gradient. */
  protected readonly decoupledWeightDecay: boolean = false;

  constructor(params: Params<Required<AdamOptions>>, options: AdamOptions = {}) {
    super(params, withDefaults(new.target.name, ADAM_DEFAULTS, options));
  }

  protected checkOptions({ lr, eps, weightDecay, betas }: Required<AdamOptions>): void {
    checkNonNegative(this.name, { lr, eps, weightDecay });
    check(
      Array.isArray(betas) && betas.length === 2 && betas.every((b) => b >= 0 && b < 1),
      this.name,
      () => `betas must be two numbers in [0, 1), got ${JSON.stringify(betas)}`,
    );
  }

  protected initState(param: Tensor): AdamState {
    return { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
  }

  protected update(
    param: Tensor,
    grad: Tensor,
    state: AdamState,
    group: ParamGroup<Required<AdamOptions>>,
  ): void {
    const { lr, betas, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = betas;
    const step = ++state.step;
    if (amsgrad) state.maxExpAvgSq ??= zerosLike(param);
    getBackend().adamUpdate({
      param: param.data,
      grad: grad.data,
      expAvg: state.expAvg.data,
      expAvgSq: state.expAvgSq.data,
      maxExpAvgSq: amsgrad ? state.maxExpAvgSq!.data : null,
      beta1,
      beta2,
      eps,
      weightDecay: this.decoupledWeightDecay ? 0 : weightDecay,
      shrink: this.decoupledWeightDecay ? 1 - lr * weightDecay : 1,
      stepSize: lr / (1 - beta1 ** step),
      bias2Sqrt: Math.sqrt(1 - beta2 ** step),
      maximize,
    });
  }
}

/**
 * AdamW, exactly `torch.optim.AdamW`: Adam with decoupled weight decay — each step first shrinks
 * the weights, p *= 1 − lr·weightDecay, and the gradient carries no L2 term. weightDecay
 * defaults to 1e-2.
 *
 * @example
 * const opt = new AdamW(
 *   [{ params: backbone.parameters(), lr: 1e-4 }, { params: head.parameters() }],
 *   { lr: 1e-3, weightDecay: 0.05 },
 * );
 */
export class AdamW extends Adam {
  protected override readonly decoupledWeightDecay = true;

  constructor(params: Params<Required<AdamOptions>>, options: AdamOptions = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2 });
  }
}
