/**
 * Memory scopes: tensors made inside `tidy(fn)` live in the backend's own memory (the wasm
 * backend's: kernels read and write them in place, with no copies) and are released when `fn`
 * returns, except what it returns or `keep`s. Outside every scope tensors are ordinary typed
 * arrays that the garbage collector reclaims. `fit` and `evaluate` run each batch in a scope.
 */
import { dtypeOf, type TypedArray } from '../backend/dtype.js';
import { FoveaError } from './errors.js';
import { innermostScope, keepInScopes, setInnermostScope, type OpenScope } from './scope-state.js';
import { storageAccess, Tensor } from './tensor.js';

/** An open memory scope from `startScope`; `end` it, innermost first. */
export interface MemoryScope {
  /**
   * Releases every tensor made while the scope was open except those in `result` (a tensor, or
   * arrays and plain objects holding tensors) and those kept; they move to the enclosing scope,
   * or, from the outermost one, into ordinary typed arrays.
   */
  end(result?: unknown): void;
}

/**
 * Opens a memory scope that stays open until its `end()`: for setups that span calls (a
 * benchmark's prepared inputs). Prefer `tidy`, which cannot be left open.
 *
 * @example
 * const scope = startScope();
 * const x = randn([8, 128, 56, 56]); // in wasm memory while the scope is open
 * // ... use x ...
 * scope.end();
 */
export function startScope(): MemoryScope {
  const scope: OpenScope = { parent: innermostScope(), tensors: [], blocks: [], kept: [] };
  setInnermostScope(scope);
  return {
    end(result?: unknown) {
      if (innermostScope() !== scope) {
        throw new FoveaError(
          'MemoryScope.end',
          isOpen(scope)
            ? 'a scope opened inside this one is still open; end it first'
            : 'this scope has already ended',
        );
      }
      close(scope, result);
    },
  };
}

/**
 * Runs `fn` in a memory scope, as TensorFlow.js's `tidy`: the tensors it makes live in the
 * backend's memory, where kernels use them without copies, and are released when it returns,
 * except the tensors in its result (a tensor, or arrays and plain objects of them) and those it
 * `keep`s. Gradients set on tensors (`.grad`) outlive the scope, as parameters do. Using a
 * released tensor throws. `fn` must be synchronous; a throw releases everything.
 *
 * @example
 * const loss = tidy(() => {
 *   optimizer.zeroGrad();
 *   const l = crossEntropy(model.forward(x), y);
 *   l.backward();
 *   optimizer.step();
 *   return l.item(); // a number: every tensor of the step is released
 * });
 */
export function tidy<T>(fn: () => T): T {
  const scope = startScope();
  let result: T;
  try {
    result = fn();
  } catch (error) {
    scope.end();
    throw error;
  }
  if (result instanceof Promise) {
    scope.end();
    throw new FoveaError(
      'tidy',
      'fn returned a Promise; tidy runs synchronous code: await outside it',
    );
  }
  scope.end(result);
  return result;
}

/**
 * Keeps `tensor` past the end of every open memory scope (`tidy`), as if each returned it; from
 * the outermost one it moves into an ordinary typed array. Returns the tensor.
 *
 * @example
 * let best: Tensor;
 * tidy(() => { best = keep(model.forward(x)); });
 */
export function keep<T extends Tensor>(tensor: T): T {
  keepInScopes(tensor);
  return tensor;
}

function isOpen(scope: OpenScope): boolean {
  for (let s = innermostScope(); s; s = s.parent) if (s === scope) return true;
  return false;
}

/** The tensors in a tidy result: itself, or inside arrays and plain objects. */
function tensorsIn(value: unknown, found: Tensor[] = [], depth = 0): Tensor[] {
  if (value instanceof Tensor) found.push(value);
  else if (depth < 8 && Array.isArray(value)) value.forEach((v) => tensorsIn(v, found, depth + 1));
  else if (
    depth < 8 &&
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    Object.values(value as object).forEach((v) => tensorsIn(v, found, depth + 1));
  }
  return found;
}

/** Ends `scope`: releases what is not kept, hands the rest to its parent (or to JavaScript). */
function close(scope: OpenScope, result: unknown): void {
  setInnermostScope(scope.parent);
  const kept = new Set<TypedArray | null>(
    [...tensorsIn(result), ...(scope.kept as Tensor[])].map((t) => storageAccess.get(t)),
  );
  kept.delete(null);
  const survivors: Tensor[] = [];
  for (const t of scope.tensors as Tensor[]) {
    if (kept.has(storageAccess.get(t))) survivors.push(t);
    else storageAccess.set(t, null);
  }
  for (const [block, backend] of scope.blocks) {
    if (!kept.has(block)) backend.release!(block);
    else if (scope.parent) scope.parent.blocks.push([block, backend]);
    else {
      const copy = backend.alloc(dtypeOf(block), block.length);
      copy.set(block as never);
      for (const t of survivors) if (storageAccess.get(t) === block) storageAccess.set(t, copy);
      backend.release!(block);
    }
  }
  scope.parent?.tensors.push(...survivors);
}
