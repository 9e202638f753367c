/**
 * The graph an ONNX export builds: nodes in order, initializers, and the element type of every
 * value, so an input of the wrong type gets a Cast in front of the node that reads it.
 */
import type { DType, TypedArray } from '../backend/dtype.js';
import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  OnnxAttributeType,
  OnnxDataType,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
} from './proto.js';

/** An attribute value as the export rules write it; lists of integers and of floats differ. */
export type AttributeValue =
  | number
  | string
  | readonly number[]
  | { readonly floats: readonly number[] }
  | { readonly float: number };

/** The typed array holding each ONNX element type that fovea tensors use. */
const typedArrays = new Map<number, new (values: readonly number[]) => TypedArray>([
  [OnnxDataType.FLOAT, Float32Array],
  [OnnxDataType.DOUBLE, Float64Array],
  [OnnxDataType.INT32, Int32Array],
  [OnnxDataType.UINT8, Uint8Array],
  [OnnxDataType.BOOL, Uint8Array],
]);

const onnxTypes: Record<DType, number> = {
  float32: OnnxDataType.FLOAT,
  float64: OnnxDataType.DOUBLE,
  int32: OnnxDataType.INT32,
  uint8: OnnxDataType.UINT8,
};

/** The ONNX element type of a fovea dtype. */
export function onnxType(dtype: DType): number {
  return onnxTypes[dtype];
}

/** A fovea tensor as a TensorProto named `name`, its values little-endian in raw_data. */
export function tensorProto(name: string, t: Tensor): TensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { name, dims: [...t.shape], data_type: onnxType(t.dtype), raw_data: bytes.slice() };
}

/** An int64 TensorProto (shapes, axes, pads) from a list of integers. */
function int64Proto(name: string, values: readonly number[], dims: readonly number[]): TensorProto {
  const raw = new BigInt64Array(values.map((v) => BigInt(v)));
  return {
    name,
    dims: [...dims],
    data_type: OnnxDataType.INT64,
    raw_data: new Uint8Array(raw.buffer),
  };
}

function attribute(name: string, value: AttributeValue): AttributeProto {
  if (typeof value === 'string') {
    return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value) };
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new FoveaError('exportOnnx', `attribute ${name} must be an integer, got ${value}`);
    }
    return { name, type: OnnxAttributeType.INT, i: value };
  }
  if ('floats' in value) return { name, type: OnnxAttributeType.FLOATS, floats: [...value.floats] };
  if ('float' in value) return { name, type: OnnxAttributeType.FLOAT, f: value.float };
  return { name, type: OnnxAttributeType.INTS, ints: [...(value as readonly number[])] };
}

/** Collects nodes and initializers, naming values uniquely. */
export class GraphBuilder {
  /** The nodes so far, in the order they run. */
  readonly nodes: NodeProto[] = [];
  /** The initializers so far: parameters, buffers and constants. */
  readonly initializers: TensorProto[] = [];
  private readonly types = new Map<string, number>();
  private readonly names = new Set<string>();
  /** Small constants already written, by type, dims and values: each is written once. */
  private readonly constants = new Map<string, string>();
  private count = 0;

  /** Declares a value made outside `node` (a graph input) with its element type. */
  declare(name: string, type: number): string {
    this.names.add(name);
    this.types.set(name, type);
    return name;
  }

  /** A fresh value name starting with `stem`. */
  fresh(stem: string): string {
    let name = `${stem}_${this.count++}`;
    while (this.names.has(name)) name = `${stem}_${this.count++}`;
    this.names.add(name);
    return name;
  }

  /** Adds `t` as an initializer called `name` (a fresh name when omitted); returns the name. */
  initializer(t: Tensor, name = this.fresh('const')): string {
    this.initializers.push(tensorProto(name, t));
    return this.declare(name, onnxType(t.dtype));
  }

  /** An int64 initializer holding `values` (1-D unless `dims` says otherwise). */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.cached(values, OnnxDataType.INT64, dims, (name) => int64Proto(name, values, dims));
  }

  /** An initializer of ONNX element `type` holding `values`, of `dims` (default 0-d). */
  constant(values: readonly number[], type: number, dims: readonly number[] = []): string {
    const TypedArrayOf = typedArrays.get(type);
    if (!TypedArrayOf)
      throw new FoveaError('exportOnnx', `no constants of ONNX element type ${type}`);
    return this.cached(values, type, dims, (name) => {
      const raw = new Uint8Array(new TypedArrayOf(values).buffer);
      return { name, dims: [...dims], data_type: type, raw_data: raw };
    });
  }

  /** The initializer `make` builds, written once for small constants of equal type and values. */
  private cached(
    values: readonly number[],
    type: number,
    dims: readonly number[],
    make: (name: string) => TensorProto,
  ): string {
    const text = values.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(',');
    const key = values.length <= 16 ? `${type}:${dims.join(',')}:${text}` : undefined;
    const existing = key === undefined ? undefined : this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = this.fresh('const');
    this.initializers.push(make(name));
    if (key !== undefined) this.constants.set(key, name);
    return this.declare(name, type);
  }

  /** The element type of a value. */
  typeOf(name: string): number {
    const type = this.types.get(name);
    if (type === undefined) throw new FoveaError('exportOnnx', `unknown value '${name}'`);
    return type;
  }

  /**
   * Appends a node of `opType` reading `inputs` ('' for an omitted optional input) and returns its
   * output names; `outputType` is the element type of its outputs (default: that of its first input).
   */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue | undefined>> = {},
    outputType?: number,
    outputCount = 1,
  ): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(opType));
    const type = outputType ?? this.typeOf(inputs[0]);
    for (const name of outputs) this.types.set(name, type);
    this.nodes.push({
      name: outputs[0],
      op_type: opType,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes)
        .filter((e): e is [string, AttributeValue] => e[1] !== undefined)
        .map(([name, value]) => attribute(name, value)),
    });
    return outputs;
  }

  /** One-output `node`. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue | undefined>> = {},
    outputType?: number,
  ): string {
    return this.node(opType, inputs, attributes, outputType)[0];
  }

  /** Gives value `from` the name `to`: renames the node output, or adds an Identity node. */
  rename(from: string, to: string): void {
    const maker = this.nodes.find((n) => n.output?.includes(from));
    if (!maker) {
      this.nodes.push({ name: to, op_type: 'Identity', input: [from], output: [to] });
      return;
    }
    for (const node of this.nodes) {
      node.input = node.input?.map((v) => (v === from ? to : v));
      node.output = node.output?.map((v) => (v === from ? to : v));
    }
  }

  /** `name` as element type `type`: itself, or the output of a Cast node. */
  as(name: string, type: number): string {
    return this.typeOf(name) === type ? name : this.op('Cast', [name], { to: type }, type);
  }
}
