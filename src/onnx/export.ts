/**
 * Export of any fovea Module to ONNX by tracing: the model runs once (in eval mode) on an example
 * batch while every op reports its call (ops/trace.ts); the calls that lead to the output become
 * ONNX nodes, parameters and buffers become initializers named as in the state dict, and dim 0
 * of the input and output is a symbolic batch size.
 */
import { writeFileSync } from 'node:fs';
import { isFloat, type TypedArray } from '../backend/dtype.js';
import type { Module } from '../nn/module.js';
import { withTracer, type TracedOp } from '../ops/trace.js';
import { randn } from '../tensor/create.js';
import { check, FoveaError } from '../tensor/errors.js';
import { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ExportContext, ExportRule } from './export-context.js';
import { GraphBuilder, onnxType } from './export-graph.js';
import { nnRules } from './export-rules-nn.js';
import { quantizedRules } from './export-rules-quantized.js';
import { tensorRules } from './export-rules-tensor.js';
import { encodeModel, type ModelProto, type ValueInfoProto } from './proto.js';

/** Options of `exportOnnx`; give `inputShape` or `input`. */
export interface ExportOnnxOptions {
  /** The shape of one sample, without the batch dim (e.g. [3, 224, 224]); traced at batch 2. */
  inputShape?: readonly number[];
  /** An example batch to trace with, instead of `inputShape` (its values do not matter). */
  input?: Tensor;
  /** Also write the model to this path. */
  file?: string;
  /** The ONNX operator set version, 13 to 21 (default 17). */
  opset?: number;
  /** The graph input's name (default ['input']). */
  inputNames?: readonly string[];
  /** The graph output's name (default ['output']). */
  outputNames?: readonly string[];
}

const OPSETS = { min: 13, max: 21, default: 17 };
const rules: Readonly<Record<string, ExportRule>> = {
  ...tensorRules,
  ...nnRules,
  ...quantizedRules,
};

/**
 * Exports `model` to ONNX and returns the bytes of the .onnx file (also written to
 * `options.file`). The model is traced once in eval mode (its training flags are restored after),
 * so any forward built from fovea ops exports; parameters and buffers keep their state-dict names
 * (`layer1.0.conv1.weight`) as initializers, other constants get generated names, and the batch
 * dim is dynamic. Throws a FoveaError naming the op when an op has no ONNX export.
 *
 * @example
 * exportOnnx(createModel('lenet5'), { inputShape: [1, 28, 28], file: 'lenet5.onnx' });
 */
export function exportOnnx(model: Module, options: ExportOnnxOptions): Uint8Array {
  const opset = options.opset ?? OPSETS.default;
  check(
    Number.isInteger(opset) && opset >= OPSETS.min && opset <= OPSETS.max,
    'exportOnnx',
    () => `opset must be an integer from ${OPSETS.min} to ${OPSETS.max}, got ${opset}`,
  );
  const example = exampleInput(options);
  const { producers, input, output } = trace(model, example);
  const inputName = options.inputNames?.[0] ?? 'input';
  const outputName = options.outputNames?.[0] ?? 'output';
  const lowering = new Lowering(model, producers, input, inputName, opset);
  const result = lowering.lower(output);
  const graph = lowering.graph;
  graph.rename(graph.as(result, onnxType(output.dtype)), outputName);
  const batch = example.shape[0];
  const proto: ModelProto = {
    ir_version: opset <= 18 ? 8 : opset <= 20 ? 9 : 10,
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'fovea',
    graph: {
      name: model.constructor.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: [valueInfo(inputName, input, batch)],
      output: [valueInfo(outputName, output, batch)],
    },
  };
  const bytes = encodeModel(proto);
  if (options.file) writeFileSync(options.file, bytes);
  return bytes;
}

/** The example batch: `options.input`, or normal samples of [2, ...inputShape]. */
function exampleInput(options: ExportOnnxOptions): Tensor {
  if (options.input) return options.input;
  check(
    options.inputShape !== undefined,
    'exportOnnx',
    () => 'give inputShape (one sample, e.g. [3, 224, 224]) or an example input',
  );
  return randn([2, ...options.inputShape], { generator: new Generator(0) });
}

/** An input or output declaration: dim 0 is 'batch' where it is the batch size. */
function valueInfo(name: string, t: Tensor, batch: number): ValueInfoProto {
  const dim = t.shape.map((n, i) =>
    i === 0 && n === batch ? { dim_param: 'batch' } : { dim_value: n },
  );
  return { name, type: { tensor_type: { elem_type: onnxType(t.dtype), shape: { dim } } } };
}

/**
 * Runs the model once in eval mode with a tracer installed. The input requires gradients, so an
 * op that has no trace report but does have a backward leaves its name on its output (`gradFn`).
 */
function trace(model: Module, example: Tensor) {
  const input = example.clone();
  if (isFloat(input.dtype)) input.requireGrad();
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  model.eval();
  const producers = new Map<Tensor, TracedOp>();
  try {
    const output = withTracer(
      (op) => {
        // An op that returns its input unchanged (dropout in eval, a no-op permute) adds nothing.
        if (!op.inputs.includes(op.output)) producers.set(op.output, op);
      },
      () => model.forward(input),
    );
    return { producers, input, output };
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

/** Turns the traced calls that lead to the output into ONNX nodes and initializers. */
class Lowering {
  readonly graph = new GraphBuilder();
  /** The ONNX value holding each tensor already written. */
  private readonly values = new Map<Tensor, string>();
  /** Parameters and buffers by their storage, with their state-dict names. */
  private readonly named = new Map<TypedArray, { name: string; tensor: Tensor }>();
  /** The trace position of each traced tensor (the input: −1). */
  private readonly order = new Map<Tensor, number>();
  /** Traced tensors by their storage, to recognise views of them (x.detach()). */
  private readonly byStorage = new Map<TypedArray, Tensor[]>();

  constructor(
    model: Module,
    private readonly producers: ReadonlyMap<Tensor, TracedOp>,
    private readonly input: Tensor,
    inputName: string,
    private readonly opset: number,
  ) {
    for (const [name, tensor] of model.stateDict()) this.named.set(tensor.data, { name, tensor });
    [input, ...producers.keys()].forEach((t, i) => {
      this.order.set(t, i - 1);
      this.byStorage.set(t.data, [...(this.byStorage.get(t.data) ?? []), t]);
    });
    this.values.set(input, this.graph.declare(inputName, onnxType(input.dtype)));
  }

  /** Writes everything `output` depends on, in dependency order; returns its value name. */
  lower(output: Tensor): string {
    // `before`: the trace position of the op reading the tensor (a view it reads was made earlier).
    const stack = [{ tensor: output, ready: false, before: Infinity }];
    while (stack.length > 0) {
      const { tensor, ready, before } = stack.pop()!;
      if (this.values.has(tensor)) continue;
      const op = this.producers.get(tensor);
      const source = op ? tensor : this.viewSource(tensor, before);
      if (!source) {
        this.values.set(tensor, this.leaf(tensor));
      } else if (!op) {
        // A view of a traced tensor with the same shape (x.detach()): the same value.
        const name = this.values.get(source);
        if (name !== undefined) this.values.set(tensor, name);
        else stack.push({ tensor, ready, before }, { tensor: source, ready: false, before });
      } else if (ready) {
        this.values.set(tensor, this.emit(op));
      } else {
        const position = this.order.get(tensor)!;
        stack.push({ tensor, ready: true, before });
        for (const t of op.inputs) {
          if (t && !this.values.has(t)) stack.push({ tensor: t, ready: false, before: position });
        }
      }
    }
    return this.valueOf(output);
  }

  /**
   * The traced tensor, made before trace position `before`, that `t` is a same-shape view of
   * (t shares its storage), if `t` is not a parameter or buffer itself.
   */
  private viewSource(t: Tensor, before: number): Tensor | undefined {
    if (this.named.has(t.data)) return undefined;
    return this.byStorage
      .get(t.data)
      ?.find(
        (u) =>
          this.order.get(u)! < before &&
          u.ndim === t.ndim &&
          u.shape.every((n, i) => n === t.shape[i]),
      );
  }

  private valueOf(t: Tensor): string {
    const name = this.values.get(t);
    if (name === undefined)
      throw new FoveaError('exportOnnx', 'internal: a value was used before it was written');
    return name;
  }

  /** A tensor no traced op made: a parameter or buffer, a constant, or an op with no export. */
  private leaf(t: Tensor): string {
    const named = this.named.get(t.data);
    if (named && named.tensor.size === t.size) {
      if (!this.values.has(named.tensor))
        this.values.set(named.tensor, this.graph.initializer(named.tensor, named.name));
      const value = this.valueOf(named.tensor);
      const sameShape =
        named.tensor.shape.every((n, i) => n === t.shape[i]) && named.tensor.ndim === t.ndim;
      return sameShape ? value : this.graph.op('Reshape', [value, this.graph.int64s(t.shape)]);
    }
    if (t.gradFn) {
      throw new FoveaError('exportOnnx', `op '${t.gradFn.name}' has no ONNX export`);
    }
    return this.graph.initializer(t);
  }

  private emit(op: TracedOp): string {
    const rule = rules[op.name];
    if (!rule) throw new FoveaError('exportOnnx', `op '${op.name}' has no ONNX export`);
    const ctx: ExportContext = {
      op,
      graph: this.graph,
      opset: this.opset,
      has: (i) => op.inputs[i] !== null && op.inputs[i] !== undefined,
      input: (i, type) => {
        const t = op.inputs[i];
        if (!t) throw new FoveaError('exportOnnx', `op '${op.name}' input ${i} is missing`);
        return this.graph.as(this.valueOf(t), type ?? onnxType(t.dtype));
      },
    };
    return rule(ctx);
  }
}
