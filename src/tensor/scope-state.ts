/**
 * The open memory scopes (scope.ts) as the tensor constructor and the allocator see them: the
 * innermost one records every tensor made and every scoped array handed out while it is open.
 * Kept apart from scope.ts so that tensor.ts can record into it without importing scope.ts,
 * which imports tensor.ts.
 */
import type { Backend } from '../backend/backend.js';
import type { DType, TypedArray } from '../backend/dtype.js';
import { getBackend } from './backend-registry.js';

/** What one open scope owns: its tensors, the backend arrays it must release, what it keeps. */
export interface OpenScope {
  readonly parent: OpenScope | undefined;
  readonly tensors: object[];
  readonly blocks: [TypedArray, Backend][];
  readonly kept: object[];
}

let innermost: OpenScope | undefined;

/** The innermost open scope, if any. */
export function innermostScope(): OpenScope | undefined {
  return innermost;
}

/** Makes `scope` the innermost one (undefined: none, as outside every scope). */
export function setInnermostScope(scope: OpenScope | undefined): void {
  innermost = scope;
}

/**
 * Records a new tensor in the innermost scope, which will release it when it ends; false when
 * no scope is open.
 */
export function recordTensor(tensor: object): boolean {
  innermost?.tensors.push(tensor);
  return innermost !== undefined;
}

/** Runs `fn` as if no scope were open: what it makes is ordinary, garbage-collected storage. */
export function outsideScopes<T>(fn: () => T): T {
  const open = innermost;
  innermost = undefined;
  try {
    return fn();
  } finally {
    innermost = open;
  }
}

/** Keeps `tensor` (and its storage) past the end of every open scope. */
export function keepInScopes(tensor: object): void {
  for (let scope = innermost; scope; scope = scope.parent) scope.kept.push(tensor);
}

/**
 * An array of `size` elements of `dtype` for a new tensor's storage: inside a scope, from the
 * backend's scoped memory where it has some (wasm memory, used by kernels without copies, given
 * back when the scope ends); otherwise a plain `alloc`. Zero-filled, unless `zeroed` is false:
 * then only a caller whose kernel writes every element before anything reads one may use it.
 */
export function allocStorage(dtype: DType, size: number, zeroed = true): TypedArray {
  const backend = getBackend();
  const block = innermost && backend.allocScoped?.(dtype, size, zeroed);
  if (!block) return backend.alloc(dtype, size);
  innermost!.blocks.push([block, backend]);
  return block;
}
