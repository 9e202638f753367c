import type { Tensor } from '../tensor/tensor.js';
import { Module } from '../nn/module.js';
import type { FoldableLayer, FusableActivation } from './fusion-groups.js';

/**
 * A conv or linear layer (its bias included) and the ReLU or ReLU6 after it, as one module — what
 * PyTorch's intrinsic `ConvReLU2d` / `LinearReLU` are. `fuse` puts it in the layer's place (the
 * activation's place gets an Identity); int8 quantization then folds the activation into the
 * output clamp of the quantized layer, and a fast backend may run it as one kernel.
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
  }

  forward(x: Tensor): Tensor {
    return this.activation.forward(this.layer.forward(x));
  }
}
