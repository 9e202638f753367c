import { roundHalfEven } from '../backend/round.js';
import type { AffineQuant } from '../backend/backend.js';
import type { TypedArray } from '../backend/dtype.js';

/** Affine uint8 quantization of activations (defined with the kernel interface). */
export type { AffineQuant };

/**
 * The uint8 parameters covering [min, max], widened to hold 0 so that zero (padding, ReLU's
 * floor) is exact: scale = (max − min) / 255, zeroPoint = round(−min / scale).
 *
 * @example affineUint8(0, 6) // { scale: 0.0235..., zeroPoint: 0 }
 */
export function affineUint8(min: number, max: number): AffineQuant {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const scale = Math.fround(hi > lo ? (hi - lo) / 255 : 1);
  const zeroPoint = Math.min(255, Math.max(0, roundHalfEven(-lo / scale)));
  return { scale, zeroPoint };
}

/** Per-channel symmetric int8 weights: w ≈ q·scale[c], q in [−127, 127], zero point 0. */
export interface Int8Weights {
  /** Row-major, the float weight's shape, dim 0 the output channel. */
  values: Int8Array;
  /** One float32 scale per output channel: max |w| / 127 (1 for an all-zero channel). */
  scale: Float32Array;
}

/**
 * Quantizes a weight [C_out, ...] per output channel, symmetric: scale[c] = max|w[c]| / 127.
 * Per-channel scales keep a channel with small weights from being flattened by one with large
 * ones (which folded batch norms make common).
 */
export function quantizeWeightsPerChannel(weight: TypedArray, channels: number): Int8Weights {
  const per = weight.length / channels;
  const values = new Int8Array(weight.length);
  const scale = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let most = 0;
    for (let i = c * per; i < (c + 1) * per; i++) most = Math.max(most, Math.abs(weight[i]));
    scale[c] = most > 0 ? most / 127 : 1;
    for (let i = c * per; i < (c + 1) * per; i++) {
      values[i] = Math.min(127, Math.max(-127, roundHalfEven(weight[i] / scale[c])));
    }
  }
  return { values, scale };
}
