import type { TypedArray } from '../dtype.js';
import { arenaTop, residentAddress } from './arena.js';
import { align, reserve } from './kernels.js';
import type { Pool } from './pool.js';

/** The arrays a call places: tensor storage, and the int8 conv's packed i16 weights. */
type Elements = TypedArray | Int16Array;

/** A typed array of the same kind over `length` elements of wasm memory from byte `at`. */
function viewLike(array: Elements, memory: SharedArrayBuffer, at: number, length: number) {
  const Type = array.constructor as new (b: SharedArrayBuffer, at: number, n: number) => Elements;
  return new Type(memory, at, length);
}

/**
 * Where one kernel call's operands sit in wasm memory. An array already there (a tensor made in a
 * memory scope, arena.ts) is used where it is; any other is copied into room above the arena,
 * 64-byte aligned, which every call reuses. Outputs given room are copied back by `finish`.
 */
export class Operands {
  private end: number;
  private readonly copyBacks: (() => void)[] = [];

  constructor(private readonly pool: Pool) {
    this.end = align(arenaTop(pool));
  }

  /**
   * Reserves room for `count` elements of `bytes` bytes (f32 unless told), growing the memory to
   * hold it; returns its address.
   */
  room(count: number, bytes = 4): number {
    const at = this.end;
    this.end = align(at + count * bytes);
    reserve(this.pool.wasm.memory, this.end);
    return at;
  }

  /** The whole memory (every room reserved so far lies in it). */
  buffer(): SharedArrayBuffer {
    return this.pool.wasm.memory.buffer;
  }

  /** The address of elements [from, from + length) of `array`, copied in unless they are there. */
  input(array: TypedArray, from = 0, length = array.length - from): number {
    const resident = residentAddress(array);
    if (resident >= 0) return resident + from * array.BYTES_PER_ELEMENT;
    return this.copyIn(array, from, length);
  }

  /** Room for `array`'s elements filled with a copy of them, even when `array` is in wasm memory. */
  copyIn(array: Elements, from = 0, length = array.length - from): number {
    const at = this.room(length, array.BYTES_PER_ELEMENT);
    viewLike(array, this.buffer(), at, length).set(array.subarray(from, from + length) as never);
    return at;
  }

  /**
   * The address a kernel writes elements [from, from + length) of `array` at: the array itself
   * when it is in wasm memory, else room copied back into it by `finish`. `readFirst` also copies
   * the current values in (an output the kernel adds to).
   */
  output(array: TypedArray, from = 0, length = array.length - from, readFirst = false): number {
    const resident = residentAddress(array);
    if (resident >= 0) return resident + from * array.BYTES_PER_ELEMENT;
    const at = readFirst
      ? this.copyIn(array, from, length)
      : this.room(length, array.BYTES_PER_ELEMENT);
    this.copyBacks.push(() => array.set(viewLike(array, this.buffer(), at, length) as never, from));
    return at;
  }

  /** Copies every output that was given room back into its array. */
  finish(): void {
    for (const copyBack of this.copyBacks) copyBack();
  }
}
