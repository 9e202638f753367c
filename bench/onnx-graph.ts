/**
 * ONNX graphs of the benchmark's inference tasks, built with fovea's ONNX encoder: MatMul for
 * SGEMM, Conv (with `group`) for convolutions, and the CNN in evaluation mode (no Dropout nodes,
 * as exporters write it). Weights are random initializers, as a deployed model holds them.
 */
import {
  OnnxAttributeType,
  OnnxDataType,
  encodeModel,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '../src/onnx/proto.js';
import type { CnnSpec, ConvTask } from './workload.js';

/** A graph's input: its name and shape. */
export interface GraphInput {
  name: string;
  shape: number[];
}

const OPSET = 13;

const ints = (name: string, values: number[]): AttributeProto => ({
  name,
  type: OnnxAttributeType.INTS,
  ints: values,
});

const int = (name: string, value: number): AttributeProto => ({
  name,
  type: OnnxAttributeType.INT,
  i: value,
});

function floatValue(name: string, shape?: number[]): ValueInfoProto {
  const dim = shape?.map((d) => ({ dim_value: d }));
  return {
    name,
    type: { tensor_type: { elem_type: OnnxDataType.FLOAT, shape: dim && { dim } } },
  };
}

/** A float32 initializer of random values with standard deviation about √(2 / fanIn). */
function randomInitializer(name: string, dims: number[], fanIn: number): TensorProto {
  const values = new Float32Array(dims.reduce((x, y) => x * y, 1));
  const scale = Math.sqrt(6 / fanIn);
  for (let i = 0; i < values.length; i++) values[i] = (Math.random() - 0.5) * scale;
  return {
    name,
    dims,
    data_type: OnnxDataType.FLOAT,
    raw_data: new Uint8Array(values.buffer),
  };
}

/** The bytes of a model: `nodes` from graph inputs to the output `y`. */
function model(inputs: GraphInput[], nodes: NodeProto[], initializer: TensorProto[]): Uint8Array {
  return encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'fovea bench',
    graph: {
      name: 'bench',
      node: nodes,
      initializer,
      input: inputs.map(({ name, shape }) => floatValue(name, shape)),
      output: [floatValue('y')],
    },
  });
}

/** y = a·b, both operands graph inputs. */
export function sgemmModel(a: GraphInput, b: GraphInput): Uint8Array {
  return model([a, b], [{ op_type: 'MatMul', input: [a.name, b.name], output: ['y'] }], []);
}

/** y = conv(x, weight), the weight an initializer of [out, in/groups, k, k]. */
export function convModel(task: ConvTask, x: GraphInput): Uint8Array {
  const { inChannels, outChannels, groups, kernel, padding } = task;
  const weight = randomInitializer(
    'weight',
    [outChannels, inChannels / groups, kernel, kernel],
    (inChannels / groups) * kernel ** 2,
  );
  const conv: NodeProto = {
    op_type: 'Conv',
    input: [x.name, 'weight'],
    output: ['y'],
    attribute: [
      ints('kernel_shape', [kernel, kernel]),
      ints('pads', [padding, padding, padding, padding]),
      int('group', groups),
    ],
  };
  return model([x], [conv], [weight]);
}

/** The CNN's logits `y` from images `x`, in evaluation mode. */
export function cnnModel(spec: CnnSpec, x: GraphInput): Uint8Array {
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  let value = x.name;
  const add = (op_type: string, extra: string[] = [], attribute: AttributeProto[] = []) => {
    const output = `v${nodes.length}`;
    nodes.push({ op_type, input: [value, ...extra], output: [output], attribute });
    value = output;
  };
  const params = (dims: number[], fanIn: number) => {
    const [w, b] = [`w${initializers.length}`, `b${initializers.length}`];
    initializers.push(randomInitializer(w, dims, fanIn), randomInitializer(b, [dims[0]], fanIn));
    return [w, b];
  };
  for (const layer of spec.layers) {
    switch (layer.type) {
      case 'conv2d': {
        const { inChannels, outChannels, kernel } = layer;
        const fanIn = inChannels * kernel ** 2;
        add('Conv', params([outChannels, inChannels, kernel, kernel], fanIn), [
          ints('kernel_shape', [kernel, kernel]),
        ]);
        break;
      }
      case 'relu':
        add('Relu');
        break;
      case 'maxpool2d':
        add(
          'MaxPool',
          [],
          [
            ints('kernel_shape', [layer.kernel, layer.kernel]),
            ints('strides', [layer.kernel, layer.kernel]),
          ],
        );
        break;
      case 'dropout':
        break;
      case 'flatten':
        add('Flatten', [], [int('axis', 1)]);
        break;
      case 'linear':
        add('Gemm', params([layer.outFeatures, layer.inFeatures], layer.inFeatures), [
          int('transB', 1),
        ]);
        break;
    }
  }
  nodes[nodes.length - 1].output = ['y'];
  return model([x], nodes, initializers);
}
