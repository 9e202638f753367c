/** What an export rule sees of one traced op call, and how it writes ONNX nodes for it. */
import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TracedOp } from '../ops/trace.js';
import { onnxType, type GraphBuilder } from './export-graph.js';
import { OnnxDataType } from './proto.js';

/** One traced op call being written as ONNX nodes. */
export interface ExportContext {
  /** The traced call: name, input tensors, output tensor, attributes. */
  readonly op: TracedOp;
  /** The graph the nodes go into. */
  readonly graph: GraphBuilder;
  /** The operator set version being written. */
  readonly opset: number;
  /**
   * The value holding input `i`, as element `type` (default: the ONNX type of that input's
   * fovea dtype; a Cast is added where the value has another type).
   */
  input(i: number, type?: number): string;
  /** Whether optional input `i` was given. */
  has(i: number): boolean;
}

/** Writes the nodes of one traced op and returns the value holding its output. */
export type ExportRule = (ctx: ExportContext) => string;

/** Input `i` of the traced call as a tensor (it must have been given). */
export function inputTensor(ctx: ExportContext, i: number): Tensor {
  const t = ctx.op.inputs[i];
  if (!t) throw exportError(ctx, `input ${i} is missing`);
  return t;
}

/** A traced attribute, typed by the caller (ops report them already resolved). */
export function attr<T>(ctx: ExportContext, key: string): T {
  return ctx.op.attributes[key] as T;
}

/**
 * y through the op's fused activation (its `activation` attribute): Relu for 'relu', Clip to
 * [0, 6] for 'relu6', y itself for none.
 */
export function activated(ctx: ExportContext, y: string): string {
  const activation = attr<'none' | 'relu' | 'relu6' | undefined>(ctx, 'activation');
  if (activation === 'relu') return ctx.graph.op('Relu', [y]);
  if (activation !== 'relu6') return y;
  const bound = (v: number) => ctx.graph.constant([v], OnnxDataType.FLOAT);
  return ctx.graph.op('Clip', [y, bound(0), bound(6)]);
}

/** The ONNX element type of the traced op's output. */
export function outputType(ctx: ExportContext): number {
  return onnxType(ctx.op.output.dtype);
}

/** Input `i`, or a constant of `dims` filled with `fill` in the output's type when not given. */
export function inputOrFill(ctx: ExportContext, i: number, fill: number, dims: number[]): string {
  if (ctx.has(i)) return ctx.input(i);
  const count = dims.reduce((a, b) => a * b, 1);
  return ctx.graph.constant(new Array<number>(count).fill(fill), outputType(ctx), dims);
}

/** A FoveaError for the op being exported: `exportOnnx: op 'name' <message>`. */
export function exportError(ctx: ExportContext, message: string): FoveaError {
  return new FoveaError('exportOnnx', `op '${ctx.op.name}' ${message}`);
}
