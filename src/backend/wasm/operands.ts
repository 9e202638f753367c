import { align, reserve } from './kernels.js';
import type { Pool } from './pool.js';

/**
 * Where one kernel call's operands go in wasm memory: each `room` is placed after the last,
 * from the pool's heap on, 64-byte aligned; `buffer()` grows the memory to hold them all. Every call starts again at the heap, so memory is reused, never freed.
 */
export class Operands {
  private end: number;

  constructor(private readonly pool: Pool) {
    this.end = pool.heap;
  }

  /** Reserves room for `count` elements of `bytes` bytes (f32 unless told); returns its address. */
  room(count: number, bytes = 4): number {
    const at = this.end;
    this.end = align(at + count * bytes);
    return at;
  }

  /** The whole memory, grown to hold every room reserved so far. */
  buffer(): SharedArrayBuffer {
    return reserve(this.pool.wasm.memory, this.end);
  }
}
