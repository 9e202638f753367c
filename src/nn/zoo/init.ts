import { kaimingNormal } from '../../tensor/init.js';
import type { Module } from '../module.js';
import { Conv2d } from '../layers/conv.js';

/**
 * Re-initialises every Conv2d weight in `model` from N(0, 2 / fan_out) and zeroes conv biases,
 * as torchvision's ResNet and MobileNetV2 do (`kaiming_normal_(mode='fan_out')`) in place of
 * PyTorch's default layer init; batch norms already start at scale 1, shift 0.
 */
export function kaimingConvInit(model: Module): void {
  model.apply((m) => {
    if (!(m instanceof Conv2d)) return;
    m.weight.data.set(kaimingNormal(m.weight.shape, { mode: 'fanOut', nonlinearity: 'relu' }).data);
    m.bias?.data.fill(0);
  });
}
