import { align, reserve } from './kernels.js';
import type { Pool } from './pool.js';

/**
 * Where one kernel call's operands go in wasm memory: each `room` is placed after the last,
 * from the pool's heap on, 64-byte aligned; `floats()` grows the memory to hold them all and
 * views it. Every call starts again at the heap, so memory is reused, never freed.
 */
export class Operands {
  private end: number;

  constructor(private readonly pool: Pool) {
    this.end = pool.heap;
  }

  /** Reserves room for `count` f32 values; returns its byte address. */
  room(count: number): number {
    const at = this.end;
    this.end = align(at + count * 4);
    return at;
  }

  /** The whole memory as f32, grown to hold every room reserved so far. */
  floats(): Float32Array {
    return new Float32Array(reserve(this.pool.wasm.memory, this.end));
  }
}
