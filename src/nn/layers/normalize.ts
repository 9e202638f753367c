import { div, sub } from '../../ops/arithmetic.js';
import { reshape } from '../../ops/reshape.js';
import { tensor } from '../../tensor/create.js';
import { check, fmt } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { buffer, Module } from '../module.js';
import { formatArgs } from './repr.js';

/**
 * Per-channel input normalization as a layer, (x − mean[c]) / std[c] for x [N, C, ...], as
 * torchvision's `transforms.Normalize` but differentiable: put it in front of a model trained on
 * normalized inputs to get a model of raw pixels, so that attacks and saliency work in pixel
 * units. `mean` and `std` are buffers (saved with the model).
 *
 * @example new Sequential(new Normalize([0.286], [0.353]), model) // takes pixels in [0, 1]
 */
export class Normalize extends Module {
  mean: Tensor;
  std: Tensor;

  constructor(mean: readonly number[], std: readonly number[]) {
    super();
    check(
      mean.length === std.length && mean.length > 0 && std.every((s) => s > 0),
      'Normalize',
      () =>
        `expected one mean and one std > 0 per channel, got mean ${fmt(mean)} and std ${fmt(std)}`,
    );
    const shape = [mean.length, 1, 1];
    this.mean = buffer(reshape(tensor([...mean]), shape));
    this.std = buffer(reshape(tensor([...std]), shape));
  }

  forward(x: Tensor): Tensor {
    const channels = this.mean.shape[0];
    check(
      x.ndim >= 2 && x.shape[1] === channels,
      'Normalize',
      () => `input of shape ${fmt(x.shape)} should have ${channels} channels in dim 1`,
    );
    const shape = [channels, ...Array<number>(x.ndim - 2).fill(1)];
    return div(sub(x, reshape(this.mean, shape)), reshape(this.std, shape));
  }

  protected override extraRepr(): string {
    return formatArgs({ mean: Array.from(this.mean.data), std: Array.from(this.std.data) });
  }
}
