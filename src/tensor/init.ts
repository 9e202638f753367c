import { check, fmt } from './errors.js';
import { normal, uniform, type RandomOptions } from './create.js';
import type { Shape } from './shape.js';
import type { Tensor } from './tensor.js';

/** Nonlinearities whose recommended gain `calculateGain` knows, as in `torch.nn.init`. */
export type Nonlinearity =
  'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** The gain PyTorch recommends for a nonlinearity (`param` is leaky_relu's negative slope). */
export function calculateGain(nonlinearity: Nonlinearity, param = 0.01): number {
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
      return Math.sqrt(2 / (1 + param * param));
    case 'selu':
      return 3 / 4;
    default:
      return 1;
  }
}

/** fan_in and fan_out of a weight shape: [out, in, ...kernel] as PyTorch's layers store them. */
export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  check(
    shape.length >= 2,
    'init',
    () => `fan in/out need at least 2 dimensions, got shape ${fmt(shape)}`,
  );
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/** Options of the Kaiming (He) initialisers. */
export interface KaimingOptions extends RandomOptions {
  /** Negative slope of the leaky ReLU that follows (0 for ReLU). */
  a?: number;
  /** Preserve the variance of activations ('fanIn') or of gradients ('fanOut'). */
  mode?: 'fanIn' | 'fanOut';
  nonlinearity?: Nonlinearity;
}

function kaimingStd(shape: Shape, o: KaimingOptions): number {
  const { fanIn, fanOut } = fans(shape);
  const fan = (o.mode ?? 'fanIn') === 'fanIn' ? fanIn : fanOut;
  return calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) / Math.sqrt(fan);
}

/** U(−b, b) with b = gain·√(3 / fan), as `torch.nn.init.kaiming_uniform_`. */
export function kaimingUniform(shape: Shape, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(shape, options);
  return uniform(shape, -bound, bound, options);
}

/** N(0, std²) with std = gain / √fan, as `torch.nn.init.kaiming_normal_`. */
export function kaimingNormal(shape: Shape, options: KaimingOptions = {}): Tensor {
  return normal(shape, 0, kaimingStd(shape, options), options);
}

/** Options of the Xavier (Glorot) initialisers. */
export interface XavierOptions extends RandomOptions {
  gain?: number;
}

/** U(−b, b) with b = gain·√(6 / (fan_in + fan_out)), as `torch.nn.init.xavier_uniform_`. */
export function xavierUniform(shape: Shape, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(shape);
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(shape, -bound, bound, options);
}

/** N(0, std²) with std = gain·√(2 / (fan_in + fan_out)), as `torch.nn.init.xavier_normal_`. */
export function xavierNormal(shape: Shape, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(shape);
  return normal(shape, 0, (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), options);
}
