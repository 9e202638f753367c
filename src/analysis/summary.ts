/**
 * `summary(model, inputShape)`: one forward pass on zeros that records, for every leaf layer, its
 * output shape, parameters, multiply-adds and receptive field — torchinfo's table with the
 * receptive field added, and warnings a person can act on.
 *
 * Recording needs nothing from Module: each module's `forward` is wrapped for the pass (an
 * instance property shadowing the class method) and the wrappers are removed afterwards, even
 * when the pass throws.
 */
import { noGrad } from '../autograd/grad-mode.js';
import type { Module } from '../nn/module.js';
import { check, fmt, FoveaError } from '../tensor/errors.js';
import { zeros } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeLayer } from './layer-rules.js';
import { inputField, maxField, type ReceptiveField } from './receptive-field.js';

export type { ReceptiveField } from './receptive-field.js';

/** Options of {@link summary}. */
export interface SummaryOptions {
  /**
   * The size in pixels of the objects the model must recognise (one number, or one per spatial
   * dim): the warning compares the receptive field with this instead of the whole input.
   */
  objectSize?: number | readonly number[];
}

/** One call of a leaf layer during the pass. */
export interface LayerSummary {
  /** The module's dotted name, as in the state dict (`layer1.0.conv1`). */
  name: string;
  /** The module's class (`Conv2d`). */
  type: string;
  inputShape: number[];
  outputShape: number[];
  /** Parameters of this module; 0 on its second and later calls (see `shared`). */
  params: number;
  /** The part of `params` that trains (requiresGrad); the rest is frozen. */
  trainable: number;
  /** Whether this module was already called earlier in the pass (a layer used twice). */
  shared: boolean;
  /**
   * Multiply-adds of this call (batch 1): conv outElements·(C_in/groups)·∏kernel; transposed
   * conv inElements·(C_out/groups)·∏kernel; linear rows·in·out; normalization layers one per
   * element (eval-mode batch norm is a scale and a shift); activations, pooling, dropout and
   * reshaping 0 (no multiplications). Bias additions are not counted. ptflops and torchinfo count
   * conv and linear layers the same way up to bias and small per-element terms: ResNet-18 at
   * 224×224 is 1.82 G here, 1.82 GMac in ptflops, 1.81 G in torchinfo.
   */
  macs: number;
  /** The receptive field of the output's units, or null when the output has no spatial dims. */
  receptiveField: ReceptiveField | null;
}

/** What {@link summary} returns. */
export interface ModelSummary {
  /** The shape of the pass's input: [1, ...inputShape]. */
  inputShape: number[];
  /** Every leaf layer call, in execution order. */
  layers: LayerSummary[];
  /** Parameters of the whole model (each tensor once) and multiply-adds of the pass. */
  totals: { params: number; trainable: number; frozen: number; macs: number };
  /** The receptive field of the last spatial layer (conv, pooling; not global pooling). */
  receptiveField: ReceptiveField | null;
  /** The name of that layer. */
  receptiveFieldLayer: string | null;
  /** Sentences about problems and approximations, each saying what to do. */
  warnings: string[];
}

/**
 * Runs one forward pass of `model` (in eval mode, without gradients; the modes are restored
 * afterwards) on zeros of shape [1, ...inputShape] and describes every leaf layer. See
 * {@link formatSummary} for the table.
 *
 * Receptive fields follow each tensor: a layer's input field is that of the layer output it was
 * given. When the input was made by code outside modules (a residual sum, a concatenation, a
 * functional activation), the largest field seen at that resolution inside the enclosing module
 * stands in for it: exact for ResNet blocks and U-Net skips, where the longer path dominates.
 *
 * @example
 * const s = summary(new LeNet5(), [1, 28, 28]);
 * s.totals.params; // 61706
 * console.log(formatSummary(s));
 */
export function summary(
  model: Module,
  inputShape: readonly number[],
  options: SummaryOptions = {},
): ModelSummary {
  check(
    inputShape.length > 0 && inputShape.every((d) => Number.isInteger(d) && d > 0),
    'summary',
    () =>
      `inputShape should be one input without the batch dim, e.g. [1, 28, 28], got ${JSON.stringify(inputShape)}`,
  );
  const spatialInput = inputShape.slice(1);
  const objectSize = resolveObjectSize(options.objectSize, spatialInput.length);

  const tracer = new Tracer();
  const input = zeros([1, ...inputShape]);
  tracer.record(input, spatialInput.length > 0 ? inputField(spatialInput.length) : null);
  const modes = model.namedModules().map(([, m]) => [m, m.training] as const);
  const restore = wrapForwards(model, tracer);
  try {
    model.eval();
    noGrad(() => model.forward(input));
  } catch (e) {
    if (!(e instanceof FoveaError)) throw e;
    throw new FoveaError(
      'summary',
      `the forward pass on an input of shape ${fmt(input.shape)} failed in ${tracer.failedIn ?? 'the model'}: ${e.message}`,
    );
  } finally {
    restore();
    for (const [m, training] of modes) m.training = training;
  }

  const params = model.parameters();
  const count = (ps: Tensor[]) => ps.reduce((n, p) => n + p.size, 0);
  const trainable = count(params.filter((p) => p.requiresGrad));
  const last = tracer.lastSpatial;
  const warnings = [...tracer.notes];
  if (last?.receptiveField) {
    const warning = fieldWarning(last, spatialInput, objectSize);
    if (warning) warnings.push(warning);
  }
  return {
    inputShape: [...input.shape],
    layers: tracer.rows,
    totals: {
      params: count(params),
      trainable,
      frozen: count(params) - trainable,
      macs: tracer.rows.reduce((n, row) => n + row.macs, 0),
    },
    receptiveField: last?.receptiveField ?? null,
    receptiveFieldLayer: last?.name ?? null,
    warnings,
  };
}

/** What the tracer keeps of each tensor it has seen: its spatial size and its field. */
interface Seen {
  spatial: number[];
  field: ReceptiveField;
}

/**
 * Follows the pass: fields by tensor, one frame per active module call holding the tensors seen
 * inside it (the candidates for an input made outside modules), and one row per leaf call.
 */
class Tracer {
  readonly rows: LayerSummary[] = [];
  readonly notes: string[] = [];
  lastSpatial: LayerSummary | undefined;
  failedIn: string | undefined;
  private readonly fields = new WeakMap<Tensor, ReceptiveField | null>();
  private readonly frames: Seen[][] = [[]];
  private readonly called = new Set<Module>();

  record(t: Tensor, field: ReceptiveField | null): void {
    this.fields.set(t, field);
    if (field) this.frames[this.frames.length - 1].push({ spatial: t.shape.slice(2), field });
  }

  call(m: Module, name: string, leaf: boolean, x: Tensor, run: () => Tensor): Tensor {
    const fieldIn = this.fieldOf(x, name);
    this.frames.push(fieldIn ? [{ spatial: x.shape.slice(2), field: fieldIn }] : []);
    let y: Tensor;
    let frame: Seen[];
    try {
      y = run();
    } catch (e) {
      this.failedIn ??= `'${name}' (${m.constructor.name}, input ${fmt(x.shape)})`;
      throw e;
    } finally {
      frame = this.frames.pop()!;
    }
    if (leaf) {
      this.record(y, this.leafRow(m, name, x, y, fieldIn));
    } else if (!this.fields.has(y)) {
      this.record(y, y.ndim > 2 ? largest(frame, y.shape.slice(2)) : null);
    } else {
      this.record(y, this.fields.get(y) ?? null);
    }
    return y;
  }

  private leafRow(
    m: Module,
    name: string,
    x: Tensor,
    y: Tensor,
    fieldIn: ReceptiveField | null,
  ): ReceptiveField | null {
    const { macs, field, windowed, note } = describeLayer(m, x.shape, y.shape, fieldIn);
    if (note) this.notes.push(`'${name}' (${m.constructor.name}): ${note}`);
    const shared = this.called.has(m);
    this.called.add(m);
    const params = shared ? [] : m.parameters();
    const row: LayerSummary = {
      name,
      type: m.constructor.name,
      inputShape: [...x.shape],
      outputShape: [...y.shape],
      params: params.reduce((n, p) => n + p.size, 0),
      trainable: params.reduce((n, p) => n + (p.requiresGrad ? p.size : 0), 0),
      shared,
      macs,
      receptiveField: field,
    };
    this.rows.push(row);
    if (windowed && field) this.lastSpatial = row;
    return field;
  }

  /** The field of a layer's input: recorded, or else the best stand-in (see summary()). */
  private fieldOf(x: Tensor, name: string): ReceptiveField | null {
    if (this.fields.has(x)) return this.fields.get(x) ?? null;
    if (x.ndim < 3) return null;
    const spatial = x.shape.slice(2);
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const field = largest(this.frames[i], spatial);
      if (field) return field;
    }
    this.notes.push(
      `'${name}': its input ${fmt(x.shape)} was made outside modules at a resolution no layer produced, so its receptive field is unknown from here on; wrap that code in a Module to follow it`,
    );
    return null;
  }
}

/** The largest field among `seen` at spatial size `spatial`, or null. */
function largest(seen: Seen[], spatial: number[]): ReceptiveField | null {
  let best: ReceptiveField | null = null;
  for (const s of seen) {
    if (s.spatial.length === spatial.length && s.spatial.every((n, i) => n === spatial[i])) {
      best = best ? maxField(best, s.field) : s.field;
    }
  }
  return best;
}

/**
 * Shadows every module's `forward` with a recording wrapper (once per instance, under its first
 * name) and returns the function that removes them.
 */
function wrapForwards(model: Module, tracer: Tracer): () => void {
  const named = new Map<Module, string>();
  for (const [name, m] of model.namedModules()) if (!named.has(m)) named.set(m, name || '(model)');
  const restores: (() => void)[] = [];
  for (const [m, name] of named) {
    const target = m as { forward: (x: Tensor) => Tensor };
    const own = Object.getOwnPropertyDescriptor(m, 'forward');
    const original = target.forward;
    const leaf = m.namedChildren().length === 0;
    target.forward = (x: Tensor) => tracer.call(m, name, leaf, x, () => original.call(m, x));
    restores.push(() => {
      if (own) Object.defineProperty(m, 'forward', own);
      else delete (m as { forward?: unknown }).forward;
    });
  }
  return () => restores.forEach((r) => r());
}

/**
 * An object size as one number per spatial dim (a single number applies to all `ndim`), or
 * undefined when none was given; `op` names the caller in the error for a bad value.
 *
 * @example resolveObjectSize(12, 2) // [12, 12]
 */
export function resolveObjectSize(
  size: number | readonly number[] | undefined,
  ndim: number,
  op = 'summary',
): number[] | undefined {
  if (size === undefined) return undefined;
  const dims = typeof size === 'number' ? new Array<number>(ndim).fill(size) : [...size];
  check(
    dims.length === ndim && dims.every((d) => Number.isFinite(d) && d > 0),
    op,
    () =>
      `objectSize should be a positive number or ${ndim} of them (one per spatial dim of the input), got ${JSON.stringify(size)}`,
  );
  return dims;
}

/** The warning when the last spatial layer sees less than the input (or the objects), or null. */
function fieldWarning(
  last: LayerSummary,
  inputSize: number[],
  objectSize: number[] | undefined,
): string | null {
  const field = last.receptiveField!;
  const target = objectSize ?? inputSize;
  if (field.size.every((r, i) => r >= target[i])) return null;
  const what = objectSize
    ? `the objects (${dims(objectSize)} pixels, the objectSize given)`
    : `the input (${dims(inputSize)} pixels)`;
  return (
    `The receptive field of the last spatial layer, '${last.name}' (${last.type}), is ${dims(field.size)} pixels, smaller than ${what}: ` +
    `no unit sees ${objectSize ? 'a whole object' : 'the whole image'}, so larger patterns are recognised only from their parts (a global pooling averages the parts without knowing where they were). ` +
    `To see more, add depth (more 3×3 convolutions), dilated convolutions, or striding/pooling earlier (each stride-2 step doubles how fast the field grows).`
  );
}

/** Spatial sizes as `7×7`, fractions to two places. */
function dims(values: readonly number[]): string {
  return values.map((v) => String(Math.round(v * 100) / 100)).join('×');
}

/**
 * A summary as a table, like torchinfo's: one row per leaf layer call with its output shape,
 * parameters, multiply-adds and receptive field (size, jump, start), then the totals, the
 * receptive field of the last spatial layer and the warnings.
 *
 * @example
 * console.log(formatSummary(summary(model, [3, 32, 32])));
 */
export function formatSummary(s: ModelSummary): string {
  const header = ['Layer (type)', 'Output shape', 'Param #', 'Mult-adds', 'RF', 'Jump', 'Start'];
  const rows = s.layers.map((l) => {
    const f = l.receptiveField;
    return [
      `${l.name} (${l.type})`,
      fmt(l.outputShape),
      l.shared ? '(shared)' : thousands(l.params),
      thousands(l.macs),
      f ? dims(f.size) : '-',
      f ? dims(f.jump) : '-',
      f ? dims(f.start) : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const rule = '='.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const { params, trainable, frozen, macs } = s.totals;
  const field = s.receptiveField;
  const lines = [
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${thousands(params)}`,
    `Trainable params: ${thousands(trainable)}`,
    `Non-trainable params: ${thousands(frozen)}`,
    `Total mult-adds: ${scaled(macs)}`,
    `Input shape: ${fmt(s.inputShape)}`,
    field
      ? `Receptive field of the last spatial layer (${s.receptiveFieldLayer}): ${dims(field.size)} pixels, jump ${dims(field.jump)}, start ${dims(field.start)}`
      : 'Receptive field: no spatial layer',
    rule,
    ...s.warnings.map((w) => `Warning: ${w}`),
  ];
  return lines.join('\n');
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** 1234567 → '1.23 M', as torchinfo prints mult-adds. */
function scaled(n: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const [size, unit] = units.find(([u]) => n >= u) ?? [1, ''];
  return `${(n / size).toFixed(size === 1 ? 0 : 2)}${unit ? ` ${unit}` : ''}`;
}
