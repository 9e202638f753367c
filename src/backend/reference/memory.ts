/**
 * Live-memory accounting for backends whose buffers are ordinary typed arrays: each array `alloc`
 * returns is counted until the garbage collector reclaims it (a FinalizationRegistry), so a test
 * can watch that a training loop with no `dispose()` calls returns to the same count.
 *
 * Counting starts at the first `liveMemory()` call: a registry entry per allocation made the
 * garbage collector's work show, about 20% of a small CNN's training step (docs/trust.md), so
 * runs that never ask pay one boolean test per allocation.
 */
import type { MemoryStats } from '../backend.js';
import { allocArray, type DType, type TypedArray } from '../dtype.js';

let counting = false;
let liveBuffers = 0;
let liveBytes = 0;

const reclaimed = new FinalizationRegistry<number>((bytes) => {
  liveBuffers--;
  liveBytes -= bytes;
});

/**
 * A zero-filled array of `size` elements of `dtype`, counted as live until it is collected once
 * `liveMemory()` has been called.
 *
 * @example
 * const a = trackedAlloc('float32', 4); // liveMemory().liveBytes grows by 16
 */
export function trackedAlloc(dtype: DType, size: number): TypedArray {
  const array = allocArray(dtype, size);
  if (!counting) return array;
  liveBuffers++;
  liveBytes += array.byteLength;
  reclaimed.register(array, array.byteLength);
  return array;
}

/**
 * The arrays `trackedAlloc` returned since the first call of this function that the garbage
 * collector has not reclaimed yet (the first call starts counting and returns zeros). Finalizers
 * run after a collection, on a later turn of the event loop, so a caller wanting an exact count
 * runs `global.gc()` (node --expose-gc) and awaits a timer first.
 *
 * @example
 * liveMemory(); // { liveBuffers: 12, liveBytes: 40960 }
 */
export function liveMemory(): MemoryStats {
  counting = true;
  return { liveBuffers, liveBytes };
}
