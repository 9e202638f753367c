import type { FusedActivation } from '../../backend/fused-activation.js';
import { uniform } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkActivation } from '../../ops/fused-activation.js';
import { linear } from '../../ops/linear.js';
import { Module, parameter } from '../module.js';
import { checkPositiveInteger } from './args.js';

/** Options of `Linear`. */
export interface LinearLayerOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Keras's `activation`: 'relu' or 'relu6', applied as the product is written. */
  activation?: FusedActivation;
}

/**
 * y = x·Wᵀ + b over the last dim, as `nn.Linear`: x [*, inFeatures] → [*, outFeatures]. W
 * [outFeatures, inFeatures] and b [outFeatures] start uniform in ±1/√inFeatures, PyTorch's
 * default (kaiming_uniform with a = √5 comes to that bound). With `activation`, the layer is
 * Keras's `Dense(units, activation='relu')`: the ReLU (or ReLU6) runs inside the product's kernel.
 *
 * @example new Linear(512, 10) // a classifier head: [N, 512] → [N, 10]
 * @example new Linear(9216, 128, { activation: 'relu' }) // Dense(128, activation='relu')
 */
export class Linear extends Module {
  weight: Tensor;
  bias: Tensor | null;
  /** The activation applied as the output is written (the `activation` option), or null. */
  readonly activation: FusedActivation | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    { bias = true, activation }: LinearLayerOptions = {},
  ) {
    super();
    checkPositiveInteger('Linear', 'inFeatures', inFeatures);
    checkPositiveInteger('Linear', 'outFeatures', outFeatures);
    checkActivation('Linear', activation);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = parameter(uniform([outFeatures, inFeatures], -bound, bound));
    this.bias = bias ? parameter(uniform([outFeatures], -bound, bound)) : null;
    this.activation = activation ?? null;
  }

  forward(x: Tensor): Tensor {
    return this.forwardActivated(x, this.activation ?? undefined);
  }

  /**
   * The layer's product with `activation` applied as the output is written (FusedLayer's
   * `LinearReLU`; `forward` passes the layer's own option).
   */
  forwardActivated(x: Tensor, activation: FusedActivation | undefined): Tensor {
    return linear(x, this.weight, this.bias, { activation });
  }

  protected override extraRepr(): string {
    const activation = this.activation ? `, activation=${this.activation}` : '';
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}${activation}`;
  }
}
