/**
 * Tensor storage inside the pool's WebAssembly memory, for tensors made inside a memory scope
 * (tensor/scope.ts): kernels read and write such arrays where they are, with no copy in or out.
 *
 * Blocks are 64-byte aligned and reused by exact size: a training step asks for the same sizes
 * step after step, so after the first step every block comes off a free list. New blocks are cut
 * from the top of the arena, which grows the memory (wasm memory never shrinks) and moves the
 * per-call operand area (operands.ts) up with it.
 */
import { arrayConstructors, arrayView, type DType, type TypedArray } from '../dtype.js';
import { JOB } from './jobs.js';
import { align, reserve } from './kernels.js';
import { pool, type Pool } from './pool.js';

/** Smaller arrays stay in JavaScript: a block costs more bookkeeping than copying them does. */
const MIN_BYTES = 4096;
let minBytes = MIN_BYTES;

/**
 * Sets the size from which scoped arrays go into wasm memory (4096 bytes unless told; 0: every
 * one), for tests that run small tensors through the in-place paths. Returns the old value.
 */
export function setResidentMinimum(bytes = MIN_BYTES): number {
  const old = minBytes;
  minBytes = bytes;
  return old;
}

/** The arena of one pool: its free blocks by size, its top, and the buffers its views are on. */
interface Arena {
  readonly pool: Pool;
  top: number;
  free: Map<number, number[]>;
  /** Every SharedArrayBuffer object a block's view was made on (one per growth of the memory). */
  buffers: Set<ArrayBufferLike>;
  liveBlocks: number;
  liveBytes: number;
}

let arena: Arena | undefined;

function current(): Arena {
  const threads = pool();
  if (arena?.pool !== threads) {
    arena = {
      pool: threads,
      top: threads.heap,
      free: new Map(),
      buffers: new Set(),
      liveBlocks: 0,
      liveBytes: 0,
    };
  }
  return arena;
}

/**
 * An array of `size` elements of `dtype` in wasm memory, zero-filled unless `zeroed` is false,
 * or undefined when it is too small to be worth a block (the caller then allocates in
 * JavaScript). Comes back with `release`.
 */
export function residentAlloc(dtype: DType, size: number, zeroed: boolean): TypedArray | undefined {
  const bytes = align(size * arrayConstructors[dtype].BYTES_PER_ELEMENT);
  if (bytes < minBytes || bytes === 0) return undefined;
  const a = current();
  let at = a.free.get(bytes)?.pop();
  if (at === undefined) {
    at = a.top;
    a.top += bytes;
  }
  const buffer = reserve(a.pool.wasm.memory, a.top);
  a.buffers.add(buffer);
  a.liveBlocks++;
  a.liveBytes += bytes;
  if (zeroed) a.pool.run([JOB.zero, at, bytes], false);
  return arrayView(dtype, buffer, at, size);
}

/** Returns an array `residentAlloc` made to the arena; its memory is reused from now on. */
export function release(array: TypedArray): void {
  const a = current();
  const bytes = align(array.byteLength);
  const list = a.free.get(bytes);
  if (list) list.push(array.byteOffset);
  else a.free.set(bytes, [array.byteOffset]);
  a.liveBlocks--;
  a.liveBytes -= bytes;
}

/** The byte address in wasm memory of `array`'s first element, or −1 when it lives in JavaScript. */
export function residentAddress(array: TypedArray): number {
  return arena?.buffers.has(array.buffer) ? array.byteOffset : -1;
}

/** The first byte above every block: where a call's operands may start. */
export function arenaTop(threads: Pool): number {
  return arena?.pool === threads ? arena.top : threads.heap;
}

/** Blocks handed out and not yet released, and their bytes (the arena itself never shrinks). */
export function residentMemory(): { liveBlocks: number; liveBytes: number } {
  return { liveBlocks: arena?.liveBlocks ?? 0, liveBytes: arena?.liveBytes ?? 0 };
}
