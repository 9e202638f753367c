/**
 * An ONNX graph as a fovea Module: `forward` runs the nodes with fovea ops, so gradients flow
 * through every differentiable operator, and the initializers are the module's named tensors.
 *
 * - Float initializers are parameters (trainable, frozen with `freeze()`, listed by
 *   `namedParameters()` under their ONNX names, e.g. `features.0.weight`, nested as PyTorch's
 *   state dict: `model.features` is a module holding `0.weight`).
 * - BatchNormalization's mean and variance initializers are buffers (running statistics, updated
 *   in training mode as PyTorch does).
 * - Integer initializers (shapes, axes, indices), the settings inputs of Resize, Clip, Pad,
 *   Dropout and the quantization parameters, and any float initializer named in the `constants`
 *   option are constants: used by the graph, outside the state dict.
 *
 * Replacing a head: assign a new tensor where the old one lives (`model.fc.weight =
 * parameter(randn([10, 512]))`), or call `replaceInitializer('fc.weight', t)`; the graph reads
 * initializers by name at every forward, so the new shape flows through Gemm/MatMul/Conv.
 */
import { isFloat } from '../backend/dtype.js';
import { buffer, Module, parameter } from '../nn/module.js';
import { FoveaError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { NodeContext } from './node-context.js';
import { OnnxDataType, type GraphProto, type ModelProto, type NodeProto } from './proto.js';
import { onnxOps } from './registry.js';
import { tensorFromProto, type TensorSource } from './tensor-proto.js';

/** Options of `importOnnx`. */
export interface OnnxImportOptions {
  /** Float initializers to keep as constants instead of trainable parameters. */
  constants?: readonly string[];
}

/** A Module that holds a level of dotted initializer names (`features` in `features.0.weight`). */
export class InitializerGroup extends Module {
  /** Not callable: the graph, not this holder, decides how its tensors are used. */
  forward(): Tensor {
    throw new FoveaError('InitializerGroup', 'holds initializers of an ONNX model; call the model');
  }
}

/** Inputs of these operators that are settings (sizes, bounds, probabilities), never trained. */
const settingInputs: Record<string, readonly number[] | 'all'> = {
  Resize: [1, 2, 3],
  Upsample: [1],
  Clip: [1, 2],
  Pad: [1, 2, 3],
  Dropout: [1, 2],
  QuantizeLinear: 'all',
  DequantizeLinear: 'all',
  QLinearConv: 'all',
  QLinearMatMul: 'all',
  ConvInteger: 'all',
  MatMulInteger: 'all',
};

type InitializerRole = 'parameter' | 'buffer' | 'constant';

const floatTypes: ReadonlySet<number> = new Set([
  OnnxDataType.FLOAT,
  OnnxDataType.FLOAT16,
  OnnxDataType.BFLOAT16,
  OnnxDataType.DOUBLE,
]);

/** What each initializer is used for, from the nodes that read it. */
function initializerRoles(
  graph: GraphProto,
  constants: ReadonlySet<string>,
): Map<string, InitializerRole> {
  const trained = new Set<string>();
  const runningStats = new Set<string>();
  for (const node of graph.node ?? []) {
    const settings = settingInputs[node.op_type ?? ''];
    (node.input ?? []).forEach((name, i) => {
      if (node.op_type === 'BatchNormalization' && i >= 3) runningStats.add(name);
      else if (settings !== 'all' && !settings?.includes(i)) trained.add(name);
    });
  }
  const roles = new Map<string, InitializerRole>();
  for (const init of graph.initializer ?? []) {
    const name = init.name ?? '';
    const float = floatTypes.has(init.data_type ?? 0);
    if (!float || constants.has(name)) roles.set(name, 'constant');
    else if (runningStats.has(name)) roles.set(name, 'buffer');
    else roles.set(name, trained.has(name) ? 'parameter' : 'constant');
  }
  return roles;
}

/** A module seen as the object its properties are. */
type Holder = Record<string, unknown>;

/**
 * Makes the InitializerGroups that hold `segments` (a dotted name split) under `root`; returns
 * false when a segment is empty or already holds something else.
 */
function claimPath(root: Holder, segments: readonly string[]): boolean {
  let holder = root;
  for (const [i, s] of segments.entries()) {
    if (s === '') return false;
    const existing = holder[s];
    if (i === segments.length - 1) return existing === undefined;
    if (existing === undefined) holder[s] = new InitializerGroup();
    else if (!(existing instanceof InitializerGroup)) return false;
    holder = holder[s] as Holder;
  }
  return true;
}

function valueAt(root: Holder, path: readonly string[]): unknown {
  return path.reduce<unknown>((value, s) => (value as Holder | undefined)?.[s], root);
}

function setAt(root: Holder, path: readonly string[], t: Tensor): void {
  (valueAt(root, path.slice(0, -1)) as Holder)[path[path.length - 1]] = t;
}

/** The default-domain opset a model imports. */
function defaultOpset(model: ModelProto, file: string): number {
  for (const entry of model.opset_import ?? []) {
    if (!entry.domain || entry.domain === 'ai.onnx') return entry.version ?? 1;
  }
  throw new FoveaError('onnx', `${file} imports no version of the default operator set`);
}

/** Runs `fn`, re-raising an op's FoveaError with the node and the file named first. */
function withNodeInErrors<T>(ctx: NodeContext, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FoveaError && e.op !== 'onnx') throw ctx.error(e.message);
    throw e;
  }
}

/** An imported ONNX graph; see the file comment. Build one with `importOnnx`. */
export class OnnxModel extends Module {
  readonly #graph: GraphProto;
  readonly #opset: number;
  readonly #source: TensorSource;
  /** Where each stored initializer lives: the property path from this module. */
  readonly #paths = new Map<string, string[]>();
  readonly #constants = new Map<string, Tensor>();
  /** For each value, the index of the last node that reads it (graph outputs: never freed). */
  readonly #lastUse = new Map<string, number>();

  constructor(model: ModelProto, source: TensorSource, options: OnnxImportOptions = {}) {
    super();
    const graph = model.graph ?? {};
    this.#graph = graph;
    this.#opset = defaultOpset(model, source.file);
    this.#source = source;
    const roles = initializerRoles(graph, new Set(options.constants ?? []));
    for (const init of graph.initializer ?? []) {
      const name = init.name ?? '';
      const t = tensorFromProto(init, source);
      const role = roles.get(name);
      if (role === 'constant') this.#constants.set(name, t);
      else this.#store(name, role === 'buffer' ? buffer(t) : parameter(t));
    }
    (graph.node ?? []).forEach((node, i) => {
      for (const name of node.input ?? []) this.#lastUse.set(name, i);
    });
    for (const out of graph.output ?? []) this.#lastUse.set(out.name ?? '', Infinity);
    const trainingBatchNorm = (graph.node ?? []).some(
      (n) =>
        n.op_type === 'BatchNormalization' &&
        n.attribute?.some((a) => a.name === 'training_mode' && a.i),
    );
    this.train(trainingBatchNorm);
  }

  /** The graph inputs a caller feeds (declared inputs that are not initializers), in order. */
  get inputNames(): string[] {
    const stored = new Set((this.#graph.initializer ?? []).map((t) => t.name));
    return (this.#graph.input ?? []).map((i) => i.name ?? '').filter((n) => !stored.has(n));
  }

  /** The graph outputs, in order. */
  get outputNames(): string[] {
    return (this.#graph.output ?? []).map((o) => o.name ?? '');
  }

  /** The ONNX element type the graph declares for input or output `name`, if it declares one. */
  declaredType(name: string): number | undefined {
    const info = [...(this.#graph.input ?? []), ...(this.#graph.output ?? [])].find(
      (v) => v.name === name,
    );
    return info?.type?.tensor_type?.elem_type;
  }

  /** The default-domain opset the model was saved with. */
  get opset(): number {
    return this.#opset;
  }

  /** Puts an initializer at its dotted path, or under its whole name when the path is taken. */
  #store(name: string, t: Tensor): void {
    const root = this as unknown as Holder;
    const segments = name.split('.');
    const path = claimPath(root, segments) ? segments : [name];
    if (path.length === 1 && root[name] !== undefined) {
      throw new FoveaError(
        'onnx',
        `${this.#source.file}: initializer name '${name}' clashes with a property of the model`,
      );
    }
    this.#paths.set(name, path);
    setAt(root, path, t);
  }

  /** The current tensor of initializer `name` (parameter, buffer or constant), or undefined. */
  initializer(name: string): Tensor | undefined {
    const path = this.#paths.get(name);
    if (!path) return this.#constants.get(name);
    const value = valueAt(this as unknown as Holder, path);
    return value instanceof Tensor ? value : undefined;
  }

  /**
   * Replaces initializer `name` (e.g. a classifier's `fc.weight` and `fc.bias`, with a new shape
   * for a new number of classes). A float tensor that is not yet a parameter becomes one.
   *
   * @example
   * model.replaceInitializer('fc.weight', kaimingUniform([10, 512]));
   * model.replaceInitializer('fc.bias', zeros([10]));
   */
  replaceInitializer(name: string, t: Tensor): void {
    const path = this.#paths.get(name);
    if (!path) {
      if (!this.#constants.has(name)) {
        throw new FoveaError(
          'onnx',
          `${this.#source.file}: the model has no initializer '${name}'`,
        );
      }
      this.#constants.set(name, t);
      return;
    }
    setAt(
      this as unknown as Holder,
      path,
      isFloat(t.dtype) && t.isLeaf && !t.requiresGrad ? parameter(t) : t,
    );
  }

  /**
   * Runs the graph on named inputs and returns every graph output by name.
   *
   * @example
   * const { output } = model.run({ input: images });
   */
  run(feeds: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
    const values = new Map<string, Tensor>();
    for (const name of this.#paths.keys()) {
      const t = this.initializer(name);
      if (!t)
        throw new FoveaError(
          'onnx',
          `${this.#source.file}: initializer '${name}' was removed from the model`,
        );
      values.set(name, t);
    }
    for (const [name, t] of this.#constants) values.set(name, t);
    for (const name of this.inputNames) {
      const t = feeds[name];
      if (!t) {
        throw new FoveaError(
          'onnx',
          `${this.#source.file}: input '${name}' is missing (inputs: ${this.inputNames.join(', ')})`,
        );
      }
      values.set(name, t);
    }
    for (const [name, t] of Object.entries(feeds)) values.set(name, t);
    (this.#graph.node ?? []).forEach((node, i) => {
      this.#runNode(node, values);
      for (const name of node.input ?? []) if (this.#lastUse.get(name) === i) values.delete(name);
    });
    return Object.fromEntries(
      this.outputNames.map((name) => {
        const t = values.get(name);
        if (!t)
          throw new FoveaError(
            'onnx',
            `${this.#source.file}: graph output '${name}' was never computed`,
          );
        return [name, t];
      }),
    );
  }

  /** Runs a single-input graph and returns its first output. */
  forward(input: Tensor): Tensor {
    const inputs = this.inputNames;
    if (inputs.length !== 1) {
      throw new FoveaError(
        'onnx',
        `${this.#source.file}: forward takes one input but the graph has ${inputs.length} (${inputs.join(', ')}); use run()`,
      );
    }
    return this.run({ [inputs[0]]: input })[this.outputNames[0]];
  }

  #runNode(node: NodeProto, values: Map<string, Tensor>): void {
    const inputs = (node.input ?? []).map((name) => {
      if (name === '') return undefined;
      const t = values.get(name);
      if (!t)
        throw new FoveaError(
          'onnx',
          `${this.#source.file}: node ${node.op_type} '${node.name ?? ''}' reads '${name}', which no earlier node produced`,
        );
      return t;
    });
    const ctx = new NodeContext(node, inputs, this.#opset, this.training, this.#source);
    const domain = node.domain ?? '';
    const op = domain === '' || domain === 'ai.onnx' ? onnxOps.get(node.op_type ?? '') : undefined;
    if (!op)
      throw ctx.error(
        `operator ${domain ? `${domain}.` : ''}${node.op_type} is not supported (docs/onnx.md lists those that are)`,
      );
    const result = withNodeInErrors(ctx, () => op(ctx));
    const outputs = result instanceof Tensor ? [result] : result;
    (node.output ?? []).forEach((name, i) => {
      if (name === '') return;
      const t = outputs[i];
      if (!t) throw ctx.error(`output ${i} ('${name}') is not produced by fovea's implementation`);
      values.set(name, t);
    });
  }
}
