import type { AffineQuant, GroupedConv, Int8ConvWeights, Requantization } from '../backend.js';
import { roundHalfEven } from '../round.js';
import { im2row, planeSizes } from './im2col.js';
import { qgemmRequantize } from './qgemm.js';

/**
 * q − zeroPoint for q = clamp(round(x / scale) + zeroPoint, 0, 255) (ONNX QuantizeLinear to
 * uint8): the quantized values, centred so that the real zero is 0.
 */
export function quantizeCentred(x: Float32Array, { scale, zeroPoint }: AffineQuant): Int32Array {
  const out = new Int32Array(x.length);
  const [lo, hi] = [-zeroPoint, 255 - zeroPoint];
  for (let i = 0; i < x.length; i++) {
    const q = roundHalfEven(x[i] / scale);
    out[i] = q < lo ? lo : q > hi ? hi : q;
  }
  return out;
}

/** out[i] = (q[i] − zeroPoint)·scale for each uint8 q. */
function dequantize(q: Uint8Array, { scale, zeroPoint }: AffineQuant, out: Float32Array): void {
  for (let i = 0; i < q.length; i++) out[i] = (q[i] - zeroPoint) * scale;
}

/**
 * The kernel interface's `quantizedConv`: the input quantized and laid out by `im2row` (each
 * output position's window one contiguous row), one int8 GEMM per sample and group, and the
 * uint8 result dequantized.
 */
export function quantizedConv(
  x: Float32Array,
  weights: Int8ConvWeights,
  geom: GroupedConv,
  quant: Requantization,
  out: Float32Array,
): void {
  const { batch, groups, channels, outChannels } = geom;
  const { rowsPerChannel, outCount: positions } = planeSizes(geom);
  const k = (channels / groups) * rowsPerChannel;
  const patches = new Int32Array(batch * groups * positions * k);
  im2row(quantizeCentred(x, quant.input), geom, groups, patches);
  const outPerGroup = outChannels / groups;
  const q = new Uint8Array(out.length);
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < groups; g++) {
      qgemmRequantize({
        m: outPerGroup,
        n: positions,
        k,
        weight: weights.values,
        weightOffset: g * outPerGroup * k,
        input: patches,
        inputOffset: (n * groups + g) * positions * k,
        bias: weights.bias,
        multiplier: weights.multiplier,
        rowOffset: g * outPerGroup,
        outputZeroPoint: quant.output.zeroPoint,
        outputMin: quant.min,
        outputMax: quant.max,
        out: q,
        outOffset: (n * outChannels + g * outPerGroup) * positions,
        outRowStride: positions,
        outColStride: 1,
      });
    }
  }
  dequantize(q, quant.output, out);
}
