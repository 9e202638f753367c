import { noGrad } from '../autograd/grad-mode.js';
import { isFloat } from '../backend/dtype.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import { outsideScopes } from '../tensor/scope-state.js';
import { Tensor } from '../tensor/tensor.js';

/** The options every optimizer has. */
export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * One group of parameters and the options it is optimized with: the optimizer's defaults,
 * overridden by what the group was given. Schedules change `lr` here, and record the lr they
 * started from as `initialLr`.
 */
export type ParamGroup<O extends OptimizerOptions> = O & { params: Tensor[]; initialLr?: number };

/** A parameter group as given to an optimizer: its parameters and the options that differ. */
export type ParamGroupSpec<O extends OptimizerOptions> = { params: Iterable<Tensor> } & Partial<O>;

/** What an optimizer trains: parameters (`model.parameters()`), or groups of them. */
export type Params<O extends OptimizerOptions> = Iterable<Tensor> | Iterable<ParamGroupSpec<O>>;

/** One parameter's state: tensors shaped like it (moments, buffers) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number | undefined>;

/**
 * An optimizer's state as plain data, PyTorch's `state_dict()` layout: `state` holds each
 * parameter's tensors and step counts by parameter index (counting through the groups in order),
 * `paramGroups` each group's options with `params` as those indices. Everything but the tensors
 * is JSON-serialisable, so a checkpoint can keep the tensors in safetensors and the rest in JSON.
 */
export interface OptimizerStateDict {
  state: Map<number, Record<string, Tensor | number>>;
  paramGroups: ({ params: number[]; lr: number } & Record<string, unknown>)[];
}

/**
 * `defaults` overridden by the values `given` defines (undefined means "use the default"), arrays
 * copied so no two groups share one; a key that is not an option of `op` is an error.
 */
export function withDefaults<O extends object>(op: string, defaults: O, given: Partial<O>): O {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    check(
      key in defaults,
      op,
      () => `unknown option '${key}'; the options are ${Object.keys(defaults).join(', ')}`,
    );
    if (value !== undefined) out[key as keyof O] = value as O[keyof O];
  }
  return copyOptions(out);
}

/** Throws unless every named option is a number ≥ 0. */
export function checkNonNegative(op: string, options: Record<string, number>): void {
  for (const [name, value] of Object.entries(options)) {
    check(value >= 0, op, () => `${name} must be >= 0, got ${value}`);
  }
}

/**
 * The base of every optimizer, after PyTorch's `torch.optim.Optimizer`: parameter groups with
 * per-group options, per-parameter state created on the first step, `step()`, `zeroGrad()` and
 * `stateDict()` / `loadStateDict()`. A subclass says how to start a parameter's state and how to
 * update one parameter: it resolves the step's scalars and runs the backend's update kernel
 * (`adamUpdate`, `sgdUpdate`, …), which writes straight into `param.data`; parameters that do
 * not require grad, or have no gradient yet, are skipped.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * crossEntropy(model.forward(x), y).backward();
 * opt.step();
 */
export abstract class Optimizer<O extends OptimizerOptions, S extends ParamState = ParamState> {
  /** The options a group gets where it does not set its own. */
  readonly defaults: O;
  /** The parameter groups; schedules and users may change their options between steps. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Each parameter's state, created on its first update. */
  readonly state = new Map<Tensor, S>();

  protected constructor(params: Params<O>, defaults: O) {
    this.checkOptions(defaults);
    this.defaults = defaults;
    const list = [...params];
    check(list.length > 0, this.name, () => 'got an empty parameter list');
    if (list.every((p) => p instanceof Tensor)) {
      this.addParamGroup({ params: list } as { params: Tensor[] } & Partial<O>);
    } else {
      check(
        list.every((g) => !(g instanceof Tensor)),
        this.name,
        () =>
          'params must be all tensors or all parameter groups ({ params, ...options }), not a mix',
      );
      for (const group of list as ParamGroupSpec<O>[]) this.addParamGroup(group);
    }
  }

  /** The name errors start with. */
  protected get name(): string {
    return this.constructor.name;
  }

  /** Throws a FoveaError for options this optimizer cannot use (checked for every group). */
  protected abstract checkOptions(options: O): void;

  /** A parameter's state before its first update. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /** Updates `param.data` (and `state`) in place from `grad`, with `group`'s options. */
  protected abstract update(param: Tensor, grad: Tensor, state: S, group: ParamGroup<O>): void;

  /**
   * Adds a group of parameters with its own options, e.g. a new head to train with a larger lr;
   * options it leaves out come from the optimizer's defaults.
   *
   * @example
   * opt.addParamGroup({ params: head.parameters(), lr: 1e-2 });
   */
  addParamGroup(spec: ParamGroupSpec<O>): void {
    const { params, ...options } = spec as { params: Iterable<Tensor> } & Record<string, unknown>;
    const group = {
      ...withDefaults(this.name, this.defaults, options as Partial<O>),
      params: [...params],
    };
    this.checkOptions(group);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    group.params.forEach((p, i) => {
      check(p instanceof Tensor, this.name, () => `params[${i}] is not a tensor`);
      check(
        isFloat(p.dtype),
        this.name,
        () => `params[${i}] has dtype ${p.dtype}; only float tensors can be optimized`,
      );
      check(
        p.isLeaf,
        this.name,
        () =>
          `params[${i}] is not a leaf tensor (it was computed by an op); optimize the tensors it came from`,
      );
      check(
        !seen.has(p),
        this.name,
        () => `params[${i}] appears more than once (in this group or an earlier one)`,
      );
      seen.add(p);
    });
    this.paramGroups.push(group);
  }

  /** Clears the gradient of every parameter (sets `.grad` to null), before the next backward. */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.grad = null;
  }

  /**
   * Updates every parameter that requires grad and has a gradient, in place. Its state is made
   * outside any memory scope (`tidy`): it outlives the step, as the parameters do.
   */
  step(): void {
    outsideScopes(() =>
      noGrad(() => {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            const grad = p.grad;
            if (!p.requiresGrad || grad === null) continue;
            check(
              sameShape(grad.shape, p.shape),
              this.name,
              () =>
                `a parameter of shape ${fmt(p.shape)} has a gradient of shape ${fmt(grad.shape)}`,
            );
            let state = this.state.get(p);
            if (state === undefined) {
              state = this.initState(p, group);
              this.state.set(p, state);
            }
            this.update(p, grad, state, group);
          }
        }
      }),
    );
  }

  /**
   * The optimizer's state as plain data (see OptimizerStateDict). The tensors are the live state,
   * not copies, as in PyTorch: save them before the next step.
   *
   * @example
   * const saved = opt.stateDict();
   * const resumed = new Adam(model.parameters());
   * resumed.loadStateDict(saved); // continues exactly where `opt` was
   */
  stateDict(): OptimizerStateDict {
    const index = new Map(this.paramGroups.flatMap((g) => g.params).map((p, i) => [p, i]));
    const state = new Map<number, Record<string, Tensor | number>>();
    for (const [p, s] of this.state) {
      const entries = Object.entries(s).filter(
        (e): e is [string, Tensor | number] => e[1] !== undefined,
      );
      state.set(index.get(p)!, Object.fromEntries(entries));
    }
    const paramGroups = this.paramGroups.map(({ params, ...options }) => ({
      ...copyOptions(options),
      params: params.map((p) => index.get(p)!),
    }));
    return { state, paramGroups };
  }

  /**
   * Restores a state saved by `stateDict()` of an optimizer of the same kind over the same
   * parameters (in the same groups): group options and per-parameter state are copied in.
   */
  loadStateDict(saved: OptimizerStateDict): void {
    const groups = saved.paramGroups;
    check(
      groups.length === this.paramGroups.length,
      'loadStateDict',
      () =>
        `the saved state has ${groups.length} parameter groups but the optimizer has ${this.paramGroups.length}`,
    );
    groups.forEach((g, i) => {
      const size = this.paramGroups[i].params.length;
      check(
        g.params.length === size,
        'loadStateDict',
        () =>
          `saved parameter group ${i} has ${g.params.length} parameters but the optimizer's has ${size}`,
      );
      for (const key of Object.keys(this.defaults)) {
        check(
          key in g,
          'loadStateDict',
          () =>
            `saved parameter group ${i} has no '${key}': was it saved by a different optimizer than ${this.name}?`,
        );
      }
    });
    const params = this.paramGroups.flatMap((g) => g.params);
    const state = new Map<Tensor, S>();
    for (const [i, entry] of saved.state) {
      check(
        i >= 0 && i < params.length,
        'loadStateDict',
        () =>
          `the saved state is for parameter ${i} but the optimizer has ${params.length} parameters`,
      );
      state.set(params[i], this.restoreState(params[i], i, entry));
    }
    // Saved options replace the group's; the group keeps its own parameters.
    this.paramGroups.forEach((group, i) =>
      Object.assign(group, copyOptions(groups[i]), { params: group.params }),
    );
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
  }

  /** A copy of saved state for `param`: tensors checked, copied and cast to its dtype. */
  private restoreState(param: Tensor, index: number, entry: Record<string, Tensor | number>): S {
    const group = this.paramGroups.find((g) => g.params.includes(param))!;
    for (const key of Object.keys(this.initState(param, group))) {
      check(
        key in entry,
        'loadStateDict',
        () =>
          `the saved state of parameter ${index} has no '${key}': was it saved by a different optimizer than ${this.name}?`,
      );
    }
    const out: ParamState = {};
    for (const [key, value] of Object.entries(entry)) {
      if (typeof value === 'number') {
        out[key] = value;
        continue;
      }
      check(
        value instanceof Tensor && sameShape(value.shape, param.shape),
        'loadStateDict',
        () =>
          `saved '${key}' of parameter ${index} should be a tensor of shape ${fmt(param.shape)}, got ${
            value instanceof Tensor ? `shape ${fmt(value.shape)}` : typeof value
          }`,
      );
      const copy = new Tensor(
        getBackend().alloc(param.dtype, param.size),
        param.shape,
        param.dtype,
      );
      copy.data.set(value.data);
      out[key] = copy;
    }
    return out as S;
  }
}

/** Group options with array values (betas) copied, so saved and live groups never alias. */
function copyOptions<T extends object>(options: T): T {
  const out = { ...options };
  for (const [key, value] of Object.entries(out)) {
    if (Array.isArray(value)) (out as Record<string, unknown>)[key] = [...(value as unknown[])];
  }
  return out;
}
