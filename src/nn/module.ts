import { check, fmt, FoveaError } from '../tensor/errors.js';
import { keep } from '../tensor/scope.js';
import { sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

const parameterSet = new WeakSet<Tensor>();
const bufferSet = new WeakSet<Tensor>();

/**
 * Marks `t` as a parameter: a leaf that requires gradients and that `parameters()` and
 * `stateDict()` find when it is stored in a Module property. It outlives any memory scope it
 * was made in (`keep`). Returns `t`.
 */
export function parameter(t: Tensor): Tensor {
  parameterSet.add(t.requireGrad());
  return keep(t);
}

/**
 * Marks `t` as a buffer: state saved with the model but not trained (running statistics). It
 * outlives any memory scope it was made in (`keep`).
 */
export function buffer(t: Tensor): Tensor {
  bufferSet.add(t);
  return keep(t);
}

/** Whether a tensor was made a parameter with `parameter()`. */
export function isParameter(t: Tensor): boolean {
  return parameterSet.has(t);
}

/**
 * Called after a module's forward with the module, its input and its output. Returning a tensor
 * replaces the output (what the parent module then sees); returning nothing keeps it.
 */
export type ForwardHook = (module: Module, input: Tensor, output: Tensor) => Tensor | void;

/** What `registerForwardHook` returns: `remove()` unregisters the hook (idempotent). */
export interface RemovableHandle {
  remove(): void;
}

/**
 * The base of every layer and model, after PyTorch's `nn.Module`. A module's parameters, buffers
 * and child modules are simply its properties (marked with `parameter()` / `buffer()`, or Module
 * instances), so replacing one — `model.fc = new Linear(512, 10)` — is all it takes to swap a
 * head. Names follow property order and nesting: `layer1.0.conv1.weight`, as PyTorch's state dict.
 *
 * @example
 * class Net extends Module {
 *   conv = new Conv2d(1, 8, 3);
 *   fc = new Linear(8 * 26 * 26, 10);
 *   forward(x: Tensor) { return this.fc.forward(flatten(relu(this.conv.forward(x)), 1)); }
 * }
 */
export abstract class Module {
  /** Training mode (dropout active, batch norm uses batch statistics); see train()/eval(). */
  training = true;

  /** Computes the module's output. */
  abstract forward(input: Tensor): Tensor;

  /** Hooks run after forward; a private field, so it is neither a child nor a state-dict entry. */
  #forwardHooks: ForwardHook[] = [];
  #forwardWrapped = false;

  /**
   * Runs `hook(module, input, output)` after every forward of this module, as PyTorch's
   * `register_forward_hook`: to read a layer's activation, or to replace it (return a tensor).
   * Hooks run in registration order; each sees the output the previous one returned. The first
   * hook wraps this instance's `forward` (parents call `forward` directly), so subclasses need
   * nothing special.
   *
   * @example
   * const seen: Tensor[] = [];
   * const handle = model.features.registerForwardHook((_m, _x, y) => { seen.push(y); });
   * model.forward(images); // seen[0] is the features' output
   * handle.remove();
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    if (!this.#forwardWrapped) {
      this.#forwardWrapped = true;
      const forward = this.forward;
      const hooked = (input: Tensor): Tensor => {
        let output = forward.call(this, input);
        for (const h of [...this.#forwardHooks]) output = h(this, input, output) ?? output;
        return output;
      };
      Object.defineProperty(this, 'forward', { value: hooked, configurable: true, writable: true });
    }
    this.#forwardHooks.push(hook);
    return {
      remove: () => {
        this.#forwardHooks = this.#forwardHooks.filter((h) => h !== hook);
      },
    };
  }

  /** Extra text shown inside the parentheses by toString(), e.g. `1, 32, kernelSize=[3,3]`. */
  protected extraRepr(): string {
    return '';
  }

  /** The direct child modules with their property names. */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** This module and every descendant, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    }
    return out;
  }

  private namedTensors(set: WeakSet<Tensor>): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, value] of Object.entries(m)) {
        if (value instanceof Tensor && set.has(value))
          out.push([prefix ? `${prefix}.${name}` : name, value]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted name, in registration order. */
  namedParameters(): [string, Tensor][] {
    return this.namedTensors(parameterSet);
  }

  /** Every parameter, in registration order. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(): [string, Tensor][] {
    return this.namedTensors(bufferSet);
  }

  /**
   * Parameters and buffers by dotted name, in PyTorch's `state_dict()` order: module by module,
   * each module's parameters then its buffers (the tensors, not copies).
   */
  stateDict(): Map<string, Tensor> {
    const state = new Map<string, Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const set of [parameterSet, bufferSet]) {
        for (const [name, value] of Object.entries(m)) {
          if (value instanceof Tensor && set.has(value))
            state.set(prefix ? `${prefix}.${name}` : name, value);
        }
      }
    }
    return state;
  }

  /**
   * Copies values from `state` into this module's parameters and buffers. With `strict` (default)
   * every key must match both ways; shapes must always match. Returns the keys that did not.
   */
  loadStateDict(
    state: ReadonlyMap<string, Tensor>,
    { strict = true }: { strict?: boolean } = {},
  ): { missing: string[]; unexpected: string[] } {
    const own = this.stateDict();
    const missing = [...own.keys()].filter((k) => !state.has(k));
    const unexpected = [...state.keys()].filter((k) => !own.has(k));
    if (strict && (missing.length > 0 || unexpected.length > 0)) {
      throw new FoveaError(
        'loadStateDict',
        `keys do not match: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
      );
    }
    for (const [key, target] of own) {
      const source = state.get(key);
      if (!source) continue;
      check(
        sameShape(source.shape, target.shape),
        'loadStateDict',
        () => `'${key}' has shape ${fmt(source.shape)} but the model expects ${fmt(target.shape)}`,
      );
      target.data.set(source.data);
    }
    return { missing, unexpected };
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (`train(false)`); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Stops gradients for every parameter of this subtree (transfer learning); returns this. */
  freeze(): this {
    for (const p of this.parameters()) p.requiresGrad = false;
    return this;
  }

  /** Lets every parameter of this subtree train again; returns this. */
  unfreeze(): this {
    for (const p of this.parameters()) p.requiresGrad = true;
    return this;
  }

  /** Calls `fn` on every descendant, then on this module (PyTorch's order); returns this. */
  apply(fn: (m: Module) => void): this {
    for (const [, child] of this.namedChildren()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** The module tree, as PyTorch prints it. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(
      ([name, m]) => `  (${name}): ${m.toString().replaceAll('\n', '\n  ')}`,
    );
    return `${head}\n${lines.join('\n')}\n)`;
  }
}
