/**
 * The int8 kernel of quantized inference (reference version): an int8 × int32 matrix product
 * accumulated in int32, then requantized to uint8 with a per-row scale, zero point and clamp —
 * the conv/linear core of int8 inference. It is not yet part of the Backend interface: the fast
 * backend will add its own (see docs/deployment.md for the signature it should take).
 */

/** Arguments of {@link qgemmRequantize}. All matrices are row-major. */
export interface QGemmArgs {
  /** Rows of the weights and of the output (output channels). */
  m: number;
  /** Columns of the activations and of the output (positions or batch entries). */
  n: number;
  /** The reduction length. */
  k: number;
  /** Symmetric int8 weights [m, k] starting at `weightOffset` (zero point 0). */
  weight: Int8Array;
  weightOffset: number;
  /** Activations minus their zero point, [k, n] starting at `inputOffset` (padding reads 0). */
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

/** x rounded to the nearest integer, ties to even (ONNX QuantizeLinear's rounding). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * out = clamp(outputZeroPoint + round((weight · input + bias) · multiplier), outputMin, outputMax),
 * with the product summed exactly in int32 (|sum| < 2³¹ holds for k < 66,000 with 8-bit operands).
 */
export function qgemmRequantize(args: QGemmArgs): void {
  const { m, n, k, weight, input, bias, multiplier, out } = args;
  const acc = new Int32Array(n);
  for (let i = 0; i < m; i++) {
    const row = args.rowOffset + i;
    acc.fill(bias[row]);
    const w0 = args.weightOffset + i * k;
    for (let p = 0; p < k; p++) {
      const w = weight[w0 + p];
      if (w === 0) continue;
      const x0 = args.inputOffset + p * n;
      for (let j = 0; j < n; j++) acc[j] += w * input[x0 + j];
    }
    const scale = multiplier[row];
    const o0 = args.outOffset + i * args.outRowStride;
    for (let j = 0; j < n; j++) {
      const q = args.outputZeroPoint + roundHalfEven(acc[j] * scale);
      out[o0 + j * args.outColStride] = Math.min(args.outputMax, Math.max(args.outputMin, q));
    }
  }
}
