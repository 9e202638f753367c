import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, broadcastBinary, div, mul } from './arithmetic.js';
import { gt, lt, where } from './compare.js';
import { reshape } from './reshape.js';
import { abs, clamp, erf, exp, expm1, log1p, neg, sigmoid, tanh } from './unary.js';
import { checkFloat, uninitialized } from './util.js';
import { traced } from './trace.js';

/**
 * max(0, x), as `F.relu`; the gradient at 0 is 0. Shape: unchanged.
 *
 * @example relu(tensor([-1, 2])) // [0, 2]
 */
export function relu(x: Tensor): Tensor {
  checkFloat(x, 'relu');
  const out = uninitialized(x.shape, x.dtype);
  getBackend().unary('relu', x.data, out.data);
  record('relu', out, [x], (g) => [broadcastBinary('gatePositive', x, g, 'relu')]);
  return traced('relu', out, [x]);
}

/** Options of `hardtanh`. */
export interface HardtanhOptions {
  /** Lower bound (default −1). */
  minVal?: number;
  /** Upper bound (default 1). */
  maxVal?: number;
}

/**
 * min(max(x, minVal), maxVal), as `F.hardtanh`; the gradient is 1 strictly inside the bounds and
 * 0 elsewhere (at a bound too, as PyTorch). Shape: unchanged.
 */
export function hardtanh(x: Tensor, options: HardtanhOptions = {}): Tensor {
  const { minVal = -1, maxVal = 1 } = options;
  checkFloat(x, 'hardtanh');
  check(
    minVal <= maxVal,
    'hardtanh',
    () => `minVal must not exceed maxVal, got minVal=${minVal} maxVal=${maxVal}`,
  );
  const out = clamp(x.detach(), minVal, maxVal);
  record('hardtanh', out, [x], (g) => [where(mul(gt(x, minVal), lt(x, maxVal)), g, 0)]);
  return traced('clamp', out, [x], { min: minVal, max: maxVal });
}

/** min(max(x, 0), 6), as `F.relu6`. Shape: unchanged. */
export function relu6(x: Tensor): Tensor {
  checkFloat(x, 'relu6');
  return hardtanh(x, { minVal: 0, maxVal: 6 });
}

/** Options of `leakyRelu`. */
export interface LeakyReluOptions {
  /** Slope for x ≤ 0 (default 0.01). */
  negativeSlope?: number;
}

/** x for x > 0, negativeSlope·x otherwise, as `F.leaky_relu`. Shape: unchanged. */
export function leakyRelu(x: Tensor, options: LeakyReluOptions = {}): Tensor {
  checkFloat(x, 'leakyRelu');
  const negativeSlope = options.negativeSlope ?? 0.01;
  return traced('leakyRelu', where(gt(x, 0), x, mul(x, negativeSlope)), [x], { negativeSlope });
}

/**
 * x for x > 0, a·x otherwise with a learned slope a per channel, as `F.prelu`: `weight` holds one
 * slope for all channels or one for each of the C channels of dim 1 (inputs of fewer than 2 dims
 * have no channel dim and take one slope). Shape: x's shape.
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkFloat(x, 'prelu');
  checkFloat(weight, 'prelu', 'weight');
  const channels = x.ndim >= 2 ? x.shape[1] : 1;
  check(
    weight.ndim <= 1 && (weight.size === 1 || weight.size === channels),
    'prelu',
    () =>
      `weight must be a 1-D tensor of 1 or ${channels} slopes (input ${fmt(x.shape)} has ${channels} channels), got shape ${fmt(weight.shape)}`,
  );
  // One slope per channel, laid out to broadcast over dim 1 of x.
  const slopes =
    weight.size === 1
      ? reshape(weight, [])
      : reshape(weight, [channels, ...x.shape.slice(2).map(() => 1)]);
  return where(gt(x, 0), x, mul(x, slopes));
}

/**
 * x for x > 0, α·(e^(x/divisor) − 1) otherwise. The exponential sees min(x, 0), so the branch
 * that `where` discards cannot overflow and turn its zero gradient into 0·∞ = NaN.
 */
function exponentialUnit(x: Tensor, alpha: number, divisor = 1): Tensor {
  return where(gt(x, 0), x, mul(expm1(div(clamp(x, undefined, 0), divisor)), alpha));
}

/** Options of `elu` and `celu`. */
export interface EluOptions {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/** x for x > 0, α·(eˣ − 1) otherwise, as `F.elu`. Shape: unchanged. */
export function elu(x: Tensor, options: EluOptions = {}): Tensor {
  checkFloat(x, 'elu');
  const alpha = options.alpha ?? 1;
  return traced('elu', exponentialUnit(x, alpha), [x], { alpha });
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * scale·elu(x, α) with α ≈ 1.6733 and scale ≈ 1.0507 (Klambauer et al.), as `F.selu`.
 * Shape: unchanged.
 */
export function selu(x: Tensor): Tensor {
  checkFloat(x, 'selu');
  return traced('selu', mul(exponentialUnit(x, SELU_ALPHA), SELU_SCALE), [x]);
}

/** x for x > 0, α·(e^(x/α) − 1) otherwise, as `F.celu`; α must not be 0. Shape: unchanged. */
export function celu(x: Tensor, options: EluOptions = {}): Tensor {
  const alpha = options.alpha ?? 1;
  checkFloat(x, 'celu');
  check(alpha !== 0, 'celu', () => 'alpha must not be 0 (it divides x)');
  return exponentialUnit(x, alpha, alpha);
}

/** Options of `gelu`. */
export interface GeluOptions {
  /** 'none' (default): the exact erf form; 'tanh': the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/**
 * x·Φ(x) with Φ the standard normal CDF, as `F.gelu`: exactly x·½(1 + erf(x/√2)), or with
 * approximate 'tanh' x·½(1 + tanh(√(2/π)·(x + 0.044715x³))). Shape: unchanged.
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  const approximate = options.approximate ?? 'none';
  checkFloat(x, 'gelu');
  check(
    approximate === 'none' || approximate === 'tanh',
    'gelu',
    () => `approximate must be 'none' or 'tanh', got '${String(approximate)}'`,
  );
  const cdf =
    approximate === 'none'
      ? erf(mul(x, Math.SQRT1_2))
      : tanh(mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI)));
  return mul(mul(x, 0.5), add(cdf, 1));
}

/** x·σ(x) (swish), as `F.silu`. Shape: unchanged. */
export function silu(x: Tensor): Tensor {
  checkFloat(x, 'silu');
  return mul(x, sigmoid(x));
}

/** Options of `softplus`. */
export interface SoftplusOptions {
  /** Sharpness (default 1). */
  beta?: number;
  /** Where beta·x exceeds it, the result is x itself, as in PyTorch (default 20). */
  threshold?: number;
}

/**
 * (1/β)·ln(1 + e^(βx)), a smooth relu, as `F.softplus`; x itself where βx > threshold. Computed
 * as max(βx, 0) + ln(1 + e^(−|βx|)), which neither overflows nor loses small values; the
 * gradient is σ(βx) (1 above the threshold). Shape: unchanged.
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  const { beta = 1, threshold = 20 } = options;
  checkFloat(x, 'softplus');
  check(beta !== 0, 'softplus', () => 'beta must not be 0 (it divides the result)');
  const scaled = mul(x.detach(), beta);
  const linear = gt(scaled, threshold);
  const smooth = add(clamp(scaled, 0), log1p(exp(neg(abs(scaled)))));
  const out = where(linear, x.detach(), div(smooth, beta));
  record('softplus', out, [x], (g) => [mul(g, where(linear, 1, sigmoid(scaled)))]);
  return traced('softplus', out, [x], { beta, threshold });
}

/** x·tanh(softplus(x)), as `F.mish`. Shape: unchanged. */
export function mish(x: Tensor): Tensor {
  checkFloat(x, 'mish');
  return mul(x, tanh(softplus(x)));
}

/** ln σ(x) = −softplus(−x), computed stably, as `F.logsigmoid`. Shape: unchanged. */
export function logSigmoid(x: Tensor): Tensor {
  checkFloat(x, 'logSigmoid');
  // No linear cut-off: the stable form of softplus needs none, and PyTorch applies none here.
  return neg(softplus(neg(x), { threshold: Infinity }));
}

/** relu6(x + 3) / 6: 0 below −3, 1 above 3, linear between, as `F.hardsigmoid`. Shape: unchanged. */
export function hardsigmoid(x: Tensor): Tensor {
  checkFloat(x, 'hardsigmoid');
  return traced('hardsigmoid', div(relu6(add(x, 3)), 6), [x]);
}

/** x·hardsigmoid(x): 0 below −3, x above 3, x(x + 3)/6 between, as `F.hardswish`. Shape: unchanged. */
export function hardswish(x: Tensor): Tensor {
  checkFloat(x, 'hardswish');
  return traced('hardswish', mul(x, hardsigmoid(x)), [x]);
}

/** x / (1 + |x|), as `F.softsign`. Shape: unchanged. */
export function softsign(x: Tensor): Tensor {
  checkFloat(x, 'softsign');
  return div(x, add(abs(x), 1));
}
