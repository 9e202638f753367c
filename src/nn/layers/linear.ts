import { uniform } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import { linear } from '../../ops/linear.js';
import { Module, parameter } from '../module.js';
import { checkPositiveInteger } from './args.js';

/**
 * y = x·Wᵀ + b over the last dim, as `nn.Linear`: x [*, inFeatures] → [*, outFeatures]. W
 * [outFeatures, inFeatures] and b [outFeatures] start uniform in ±1/√inFeatures, PyTorch's
 * default (kaiming_uniform with a = √5 comes to that bound).
 *
 * @example new Linear(512, 10) // a classifier head: [N, 512] → [N, 10]
 */
export class Linear extends Module {
  weight: Tensor;
  bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    { bias = true }: { bias?: boolean } = {},
  ) {
    super();
    checkPositiveInteger('Linear', 'inFeatures', inFeatures);
    checkPositiveInteger('Linear', 'outFeatures', outFeatures);
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = parameter(uniform([outFeatures, inFeatures], -bound, bound));
    this.bias = bias ? parameter(uniform([outFeatures], -bound, bound)) : null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  protected override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
