import { full } from '../../tensor/create.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  celu,
  elu,
  gelu,
  hardsigmoid,
  hardswish,
  hardtanh,
  leakyRelu,
  logSigmoid,
  mish,
  prelu,
  relu,
  relu6,
  selu,
  silu,
  softplus,
  softsign,
} from '../../ops/activation.js';
import { logSoftmax, softmax } from '../../ops/softmax.js';
import { sigmoid, tanh } from '../../ops/unary.js';
import { Module, parameter } from '../module.js';
import { checkPositiveInteger } from './args.js';
import { formatArgs } from './repr.js';

/** A parameter-free layer applying an activation function with fixed options. */
abstract class Activation<O extends object = object> extends Module {
  protected constructor(
    readonly options: O,
    private readonly fn: (x: Tensor, options: O) => Tensor,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.fn(x, this.options);
  }

  protected override extraRepr(): string {
    return formatArgs(this.options);
  }
}

/**
 * max(0, x), as `nn.ReLU`.
 *
 * @example new Sequential(new Conv2d(3, 16, 3), new BatchNorm2d(16), new ReLU())
 */
export class ReLU extends Activation {
  constructor() {
    super({}, relu);
  }
}

/** min(max(0, x), 6), as `nn.ReLU6` (MobileNet). */
export class ReLU6 extends Activation {
  constructor() {
    super({}, relu6);
  }
}

/** x for x > 0, negativeSlope·x otherwise, as `nn.LeakyReLU`. */
export class LeakyReLU extends Activation<{ negativeSlope: number }> {
  constructor(negativeSlope = 0.01) {
    super({ negativeSlope }, leakyRelu);
  }
}

/** ELU: x for x > 0, α(eˣ − 1) otherwise, as `nn.ELU`. */
export class ELU extends Activation<{ alpha: number }> {
  constructor(alpha = 1) {
    super({ alpha }, elu);
  }
}

/** Scaled ELU with the self-normalising constants, as `nn.SELU`. */
export class SELU extends Activation {
  constructor() {
    super({}, selu);
  }
}

/** CELU: max(0, x) + min(0, α(e^(x/α) − 1)), as `nn.CELU`. */
export class CELU extends Activation<{ alpha: number }> {
  constructor(alpha = 1) {
    super({ alpha }, celu);
  }
}

/** GELU, x·Φ(x): exact (erf) or with the tanh approximation, as `nn.GELU`. */
export class GELU extends Activation<{ approximate: 'none' | 'tanh' }> {
  constructor(approximate: 'none' | 'tanh' = 'none') {
    super({ approximate }, gelu);
  }

  /** Quoted, as PyTorch prints it: `GELU(approximate='none')`. */
  protected override extraRepr(): string {
    return `approximate='${this.options.approximate}'`;
  }
}

/** x·σ(x) (swish), as `nn.SiLU`. */
export class SiLU extends Activation {
  constructor() {
    super({}, silu);
  }
}

/** x·tanh(softplus(x)), as `nn.Mish`. */
export class Mish extends Activation {
  constructor() {
    super({}, mish);
  }
}

/** x·relu6(x + 3)/6, as `nn.Hardswish` (MobileNetV3). */
export class Hardswish extends Activation {
  constructor() {
    super({}, hardswish);
  }
}

/** relu6(x + 3)/6, as `nn.Hardsigmoid`. */
export class Hardsigmoid extends Activation {
  constructor() {
    super({}, hardsigmoid);
  }
}

/** Clamps to [minVal, maxVal], as `nn.Hardtanh`. */
export class Hardtanh extends Activation<{ minVal: number; maxVal: number }> {
  constructor(minVal = -1, maxVal = 1) {
    super({ minVal, maxVal }, hardtanh);
  }
}

/** 1 / (1 + e⁻ˣ), as `nn.Sigmoid`. */
export class Sigmoid extends Activation {
  constructor() {
    super({}, sigmoid);
  }
}

/** tanh x, as `nn.Tanh`. */
export class Tanh extends Activation {
  constructor() {
    super({}, tanh);
  }
}

/** log(1 + e^(βx))/β, linear above the threshold, as `nn.Softplus`. */
export class Softplus extends Activation<{ beta: number; threshold: number }> {
  constructor(beta = 1, threshold = 20) {
    super({ beta, threshold }, softplus);
  }
}

/** x / (1 + |x|), as `nn.Softsign`. */
export class Softsign extends Activation {
  constructor() {
    super({}, softsign);
  }
}

/** log σ(x), as `nn.LogSigmoid`. */
export class LogSigmoid extends Activation {
  constructor() {
    super({}, logSigmoid);
  }
}

/**
 * Softmax along `dim`, as `nn.Softmax`. The dim is required: PyTorch's implicit choice when it is
 * left out (deprecated there) picks 1 or 0 by rank, which is rarely what a reader expects.
 *
 * @example new Softmax(1) // class probabilities of logits [N, C]
 */
export class Softmax extends Activation<{ dim: number }> {
  constructor(dim: number) {
    super({ dim }, (x, o) => softmax(x, o.dim));
  }
}

/** Log-softmax along `dim` (required, as for Softmax), as `nn.LogSoftmax`. */
export class LogSoftmax extends Activation<{ dim: number }> {
  constructor(dim: number) {
    super({ dim }, (x, o) => logSoftmax(x, o.dim));
  }
}

/**
 * Leaky ReLU with a learned slope, as `nn.PReLU`: one slope shared by every channel
 * (numParameters 1) or one per channel (numParameters = C, dim 1 of the input), each starting
 * at `init`.
 *
 * @example new PReLU(64) // after new Conv2d(32, 64, 3)
 */
export class PReLU extends Module {
  weight: Tensor;

  constructor(
    readonly numParameters = 1,
    init = 0.25,
  ) {
    super();
    checkPositiveInteger('PReLU', 'numParameters', numParameters);
    this.weight = parameter(full([numParameters], init));
  }

  forward(x: Tensor): Tensor {
    return prelu(x, this.weight);
  }

  protected override extraRepr(): string {
    return `numParameters=${this.numParameters}`;
  }
}
