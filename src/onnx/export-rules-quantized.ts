/**
 * ONNX export rules of fovea's int8 layers (src/deploy: `QuantizedConv`, `QuantizedLinear`), in
 * the QDQ form ONNX Runtime recognises and runs as QLinearConv / QLinearMatMul:
 *
 *   x → QuantizeLinear(s_in, z_in: uint8) → DequantizeLinear ─┐
 *   int8 weight → DequantizeLinear(per-channel scale, axis 0) ─┼→ Conv | Gemm → Relu | Clip →
 *   int32 bias → DequantizeLinear(s_in · s_w, axis 0) ─────────┘   QuantizeLinear(s_out, z_out) → DequantizeLinear
 *
 * so the graph computes what the int8 kernel computes: the same uint8 input, int8 weights and
 * int32 bias, and the same rounding (half to even) of the output.
 */
import type { GraphBuilder } from './export-graph.js';
import {
  activated,
  attr,
  exportError,
  inputTensor,
  type ExportContext,
  type ExportRule,
} from './export-context.js';
import { OnnxDataType } from './proto.js';

interface AffineQuant {
  scale: number;
  zeroPoint: number;
}

/** An INT8 initializer (GraphBuilder.constant holds fovea's dtypes only). */
function int8Initializer(graph: GraphBuilder, values: Int8Array, dims: readonly number[]): string {
  const name = graph.fresh('weight_int8');
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  graph.initializers.push({ name, dims: [...dims], data_type: OnnxDataType.INT8, raw_data: raw });
  return graph.declare(name, OnnxDataType.INT8);
}

/** x → QuantizeLinear → DequantizeLinear with uint8 parameters `q`. */
function quantizeDequantize(graph: GraphBuilder, x: string, q: AffineQuant): string {
  const scale = graph.constant([q.scale], OnnxDataType.FLOAT);
  const zero = graph.constant([q.zeroPoint], OnnxDataType.UINT8);
  const quantized = graph.op('QuantizeLinear', [x, scale, zero], {}, OnnxDataType.UINT8);
  return graph.op('DequantizeLinear', [quantized, scale, zero], {}, OnnxDataType.FLOAT);
}

/** The dequantized input, weight and bias of a quantized layer. */
function dequantizedOperands(ctx: ExportContext): [input: string, weight: string, bias: string] {
  const { graph } = ctx;
  const weights = attr<{ values: Int8Array; scale: Float32Array }>(ctx, 'weights');
  const bias = attr<Int32Array>(ctx, 'bias');
  const input = attr<AffineQuant>(ctx, 'input');
  const channels = weights.scale.length;
  const weightScale = graph.constant(Array.from(weights.scale), OnnxDataType.FLOAT, [channels]);
  const weightZero = int8Initializer(graph, new Int8Array(channels), [channels]);
  const weight = int8Initializer(graph, weights.values, attr<number[]>(ctx, 'weightShape'));
  const biasScale = Array.from(weights.scale, (s) => Math.fround(input.scale * s));
  return [
    quantizeDequantize(graph, ctx.input(0), input),
    graph.op(
      'DequantizeLinear',
      [weight, weightScale, weightZero],
      { axis: 0 },
      OnnxDataType.FLOAT,
    ),
    graph.op(
      'DequantizeLinear',
      [
        graph.constant(Array.from(bias), OnnxDataType.INT32, [channels]),
        graph.constant(biasScale, OnnxDataType.FLOAT, [channels]),
        graph.constant(new Array<number>(channels).fill(0), OnnxDataType.INT32, [channels]),
      ],
      { axis: 0 },
      OnnxDataType.FLOAT,
    ),
  ];
}

/** The fused activation, then the output's QuantizeLinear → DequantizeLinear. */
function activationAndOutput(ctx: ExportContext, y: string): string {
  return quantizeDequantize(ctx.graph, activated(ctx, y), attr<AffineQuant>(ctx, 'output'));
}

const quantizedConv: ExportRule = (ctx) => {
  const operands = dequantizedOperands(ctx);
  const y = ctx.graph.op('Conv', operands, {
    kernel_shape: attr<number[]>(ctx, 'weightShape').slice(2),
    strides: attr(ctx, 'stride'),
    dilations: attr(ctx, 'dilation'),
    group: attr(ctx, 'groups'),
    pads: attr(ctx, 'pads'),
  });
  return activationAndOutput(ctx, y);
};

const quantizedLinear: ExportRule = (ctx) => {
  if (inputTensor(ctx, 0).ndim !== 2) {
    throw exportError(ctx, `exports a [N, features] input only, got ${inputTensor(ctx, 0).ndim}-D`);
  }
  const y = ctx.graph.op('Gemm', dequantizedOperands(ctx), { transB: 1 });
  return activationAndOutput(ctx, y);
};

/** The rules, by traced op name. */
export const quantizedRules: Readonly<Record<string, ExportRule>> = {
  quantizedConv,
  quantizedLinear,
};
