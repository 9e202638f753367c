import type { TypedArray } from '../../src/backend/dtype.js';
import { release, residentAlloc } from '../../src/backend/wasm/arena.js';
import { dtypeOf } from '../../src/backend/dtype.js';

const blocks = new Map<TypedArray, TypedArray>();

/**
 * A copy of `x` in the wasm backend's arena, as a tensor made in a memory scope has, so kernels
 * use it in place; small arrays get a block of the arena's smallest size all the same.
 */
export function inWasmMemory<T extends TypedArray>(x: T): T {
  const block = residentAlloc(dtypeOf(x), Math.max(x.length, 4096), true)!;
  const copy = block.subarray(0, x.length) as T;
  copy.set(x as never);
  blocks.set(copy, block);
  return copy;
}

/** Gives the block of an `inWasmMemory` copy back to the arena. */
export function releaseCopy(copy: TypedArray): void {
  release(blocks.get(copy)!);
  blocks.delete(copy);
}
