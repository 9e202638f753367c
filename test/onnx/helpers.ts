import {
  encodeModel,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '../../src/onnx/proto.js';
import { tensorToProto } from '../../src/onnx/tensor-proto.js';
import type { Tensor } from '../../src/tensor/tensor.js';

/** A float tensor value_info with no declared shape. */
export function floatValue(name: string): ValueInfoProto {
  return { name, type: { tensor_type: { elem_type: 1 } } };
}

/** A node with integer-list, integer and float attributes given as plain values. */
export function node(
  op_type: string,
  input: string[],
  output: string[],
  attributes: Record<string, number | number[]> = {},
): NodeProto {
  return {
    op_type,
    input,
    output,
    name: `${op_type.toLowerCase()}_${output[0]}`,
    attribute: Object.entries(attributes).map(([name, v]) =>
      Array.isArray(v)
        ? { name, type: 7, ints: v }
        : Number.isInteger(v)
          ? { name, type: 2, i: v }
          : { name, type: 1, f: v },
    ),
  };
}

/** The bytes of a one-graph model (opset 13) with these nodes, initializers, inputs and outputs. */
export function modelBytes(
  nodes: NodeProto[],
  initializers: Record<string, Tensor | TensorProto>,
  inputs: string[],
  outputs: string[],
  opset = 13,
): Uint8Array {
  return encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: opset }],
    graph: {
      name: 'test',
      node: nodes,
      initializer: Object.entries(initializers).map(([name, t]) =>
        'data' in t ? tensorToProto(t as Tensor, name) : { ...t, name },
      ),
      input: inputs.map(floatValue),
      output: outputs.map(floatValue),
    },
  });
}
