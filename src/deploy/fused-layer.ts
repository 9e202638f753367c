import { ReLU6 } from '../nn/layers/activation.js';
import { Module } from '../nn/module.js';
import { check } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { hasOwnActivation, type FoldableLayer, type FusableActivation } from './fusion-groups.js';

/**
 * A conv or linear layer (its bias included) and the ReLU or ReLU6 after it, as one module — what
 * PyTorch's intrinsic `ConvReLU2d` / `LinearReLU` are. `fuse` puts it in the layer's place (the
 * activation's place gets an Identity); int8 quantization then folds the activation into the
 * output clamp of the quantized layer, and the float layer runs it as one kernel (the activation
 * applied as the output is written). The layer must not have an activation option of its own.
 * State-dict names: `<name>.layer.weight`, `<name>.layer.bias`.
 *
 * @example new FusedLayer(new Conv2d(1, 8, 3), new ReLU()).forward(randn([1, 1, 28, 28])) // [1, 8, 26, 26]
 */
export class FusedLayer extends Module {
  constructor(
    public layer: FoldableLayer,
    public activation: FusableActivation,
  ) {
    super();
    check(
      !hasOwnActivation(layer),
      'FusedLayer',
      () =>
        `the ${layer.constructor.name} already applies its activation option; fuse a layer without one`,
    );
  }

  forward(x: Tensor): Tensor {
    const { layer, activation } = this;
    // Convs and Linear apply it in their kernel; transposed convs have no such option.
    if (!('forwardActivated' in layer)) return activation.forward(layer.forward(x));
    return layer.forwardActivated(x, activation instanceof ReLU6 ? 'relu6' : 'relu');
  }
}
