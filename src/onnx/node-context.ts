/**
 * What an operator implementation sees of one node: its inputs as tensors, its attributes by
 * name, the opset, training mode, and helpers that raise errors naming the node and the file.
 */
import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AttributeProto, NodeProto, TensorProto } from './proto.js';
import { tensorFromProto, type TensorSource } from './tensor-proto.js';

/** One node being run. */
export class NodeContext {
  /** The node's attributes by name. */
  private readonly attributes: Map<string, AttributeProto>;

  constructor(
    /** The node as stored in the file. */
    readonly node: NodeProto,
    /** Its inputs, undefined where an optional input is omitted (empty name). */
    readonly inputs: readonly (Tensor | undefined)[],
    /** The version of the default operator set the model imports. */
    readonly opset: number,
    /** Whether the model is in training mode (BatchNormalization statistics, Dropout). */
    readonly training: boolean,
    /** The model file, for messages and tensor attributes. */
    readonly source: TensorSource,
  ) {
    this.attributes = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  }

  /** `OpType 'name'` as messages show the node. */
  get label(): string {
    return `${this.node.op_type ?? '?'} '${this.node.name || (this.node.output ?? [])[0] || ''}'`;
  }

  /** A FoveaError naming the node and the file. */
  error(message: string): FoveaError {
    return new FoveaError('onnx', `${this.source.file}: node ${this.label}: ${message}`);
  }

  /** Input i, which must be present. */
  input(i: number, what = `input ${i}`): Tensor {
    const t = this.inputs[i];
    if (!t) throw this.error(`${what} (input ${i}) is required but missing`);
    return t;
  }

  /** Input i's values as plain numbers (a shape, axes, pads...), or undefined when omitted. */
  values(i: number): number[] | undefined {
    const t = this.inputs[i];
    return t ? Array.from(t.data) : undefined;
  }

  /** Whether the node has attribute `name`. */
  has(name: string): boolean {
    return this.attributes.has(name);
  }

  /** An integer attribute, or `fallback`. */
  int(name: string, fallback: number): number {
    return this.attributes.get(name)?.i ?? (this.attributes.has(name) ? 0 : fallback);
  }

  /** A float attribute, or `fallback`. */
  float(name: string, fallback: number): number {
    return this.attributes.get(name)?.f ?? (this.attributes.has(name) ? 0 : fallback);
  }

  /** A list-of-integers attribute, or `fallback`. */
  ints(name: string, fallback: number[]): number[];
  ints(name: string): number[] | undefined;
  ints(name: string, fallback?: number[]): number[] | undefined {
    const a = this.attributes.get(name);
    return a ? (a.ints ?? []) : fallback;
  }

  /** A list-of-floats attribute, or undefined. */
  floats(name: string): number[] | undefined {
    const a = this.attributes.get(name);
    return a ? (a.floats ?? []) : undefined;
  }

  /** A string attribute, or `fallback`. */
  string(name: string, fallback: string): string {
    const s = this.attributes.get(name)?.s;
    return s ? new TextDecoder().decode(s) : fallback;
  }

  /** A tensor attribute, converted, or undefined. */
  tensor(name: string): Tensor | undefined {
    const t: TensorProto | undefined = this.attributes.get(name)?.t;
    return t ? tensorFromProto(t, this.source) : undefined;
  }

  /** Throws unless `condition` holds; the message is built only on failure. */
  check(condition: boolean, message: () => string): asserts condition {
    if (!condition) throw this.error(message());
  }
}

/** An operator implementation: the node's outputs, in order (undefined for an unproduced one). */
export type OnnxOp = (ctx: NodeContext) => Tensor | (Tensor | undefined)[];

/** One op family's operators by ONNX op_type. */
export type OnnxOpTable = Record<string, OnnxOp>;
