import { roundHalfEven } from '../round.js';
/**
 * The int8 kernel of quantized inference (reference version): an int8 × int32 matrix product
 * accumulated in int32, then requantized to uint8 with a per-row scale, zero point and clamp —
 * the conv/linear core of the reference backend's `quantizedConv` (quantized-conv.ts).
 */

/** Arguments of {@link qgemmRequantize}. All matrices are row-major. */
export interface QGemmArgs {
  /** Rows of the weights and of the output (output channels). */
  m: number;
  /** Rows of the activations, columns of the output (positions or batch entries). */
  n: number;
  /** The reduction length. */
  k: number;
  /** Symmetric int8 weights [m, k] starting at `weightOffset` (zero point 0). */
  weight: Int8Array;
  weightOffset: number;
  /**
   * Activations minus their zero point, [n, k] (one row per output column, as im2row lays them
   * out, so both operands of each dot product are contiguous) from `inputOffset`.
   */
  input: Int32Array;
  inputOffset: number;
  /** int32 bias per row (in units of input scale × weight scale), from `rowOffset`. */
  bias: Int32Array;
  /** Real multiplier per row: input scale × weight scale / output scale, from `rowOffset`. */
  multiplier: Float64Array;
  rowOffset: number;
  /** The output's zero point and the clamp (the fused activation) in uint8 units. */
  outputZeroPoint: number;
  outputMin: number;
  outputMax: number;
  /** out[outOffset + i·outRowStride + j·outColStride] receives row i, column j. */
  out: Uint8Array;
  outOffset: number;
  outRowStride: number;
  outColStride: number;
}

/** Rows of the weight handled together: each activation is loaded once per ROWS outputs. */
const ROWS = 4;

/** clamp(zeroPoint + round(sum · multiplier), lo, hi): one requantized output. */
function requantize(sum: number, multiplier: number, zeroPoint: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, zeroPoint + roundHalfEven(sum * multiplier)));
}

/**
 * out = clamp(outputZeroPoint + round((weight · inputᵀ + bias) · multiplier), outputMin, outputMax),
 * with the products summed exactly (int32 range: |sum| < 2³¹ holds for k < 66,000 with 8-bit
 * operands). Rows go four at a time so that each activation load feeds four accumulators.
 */
export function qgemmRequantize(args: QGemmArgs): void {
  const { m, n, k, weight, input, bias, multiplier, out } = args;
  const { outputZeroPoint: zero, outputMin: lo, outputMax: hi } = args;
  const { outRowStride, outColStride } = args;
  for (let i0 = 0; i0 < m; i0 += ROWS) {
    const rows = Math.min(ROWS, m - i0);
    const w0 = args.weightOffset + i0 * k;
    const r0 = args.rowOffset + i0;
    const o0 = args.outOffset + i0 * outRowStride;
    if (rows < ROWS) {
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < n; j++) {
          const x0 = args.inputOffset + j * k;
          let s = bias[r0 + r];
          for (let p = 0; p < k; p++) s += weight[w0 + r * k + p] * input[x0 + p];
          const o = o0 + r * outRowStride + j * outColStride;
          out[o] = requantize(s, multiplier[r0 + r], zero, lo, hi);
        }
      }
      continue;
    }
    const [b0, b1, b2, b3] = [bias[r0], bias[r0 + 1], bias[r0 + 2], bias[r0 + 3]];
    const [m0, m1, m2, m3] = [
      multiplier[r0],
      multiplier[r0 + 1],
      multiplier[r0 + 2],
      multiplier[r0 + 3],
    ];
    for (let j = 0; j < n; j++) {
      const x0 = args.inputOffset + j * k;
      let s0 = b0;
      let s1 = b1;
      let s2 = b2;
      let s3 = b3;
      for (let p = 0; p < k; p++) {
        const x = input[x0 + p];
        s0 += weight[w0 + p] * x;
        s1 += weight[w0 + k + p] * x;
        s2 += weight[w0 + 2 * k + p] * x;
        s3 += weight[w0 + 3 * k + p] * x;
      }
      const o = o0 + j * outColStride;
      out[o] = requantize(s0, m0, zero, lo, hi);
      out[o + outRowStride] = requantize(s1, m1, zero, lo, hi);
      out[o + 2 * outRowStride] = requantize(s2, m2, zero, lo, hi);
      out[o + 3 * outRowStride] = requantize(s3, m3, zero, lo, hi);
    }
  }
}
