import type { MatmulArgs, MatmulOperand } from '../backend.js';
import { clampBounds } from '../fused-activation.js';
import { matmul } from '../reference/matmul.js';
import { residentAddress } from './arena.js';
import { Operands } from './operands.js';
import { f32Word, JOB, PARALLEL_FLOPS } from './jobs.js';
import { pool } from './pool.js';

const TRANS_A = 1;
const TRANS_B = 2;
const ACCUMULATE = 4;

/**
 * The kernel interface's `matmul` on the WebAssembly SIMD SGEMM, with the reference kernel's
 * semantics: out[b] (+)= op(a[b]) · op(b[b]) for b < batch, shared out among the pool's threads.
 *
 * Float32 only: operands are used where they are in the module's memory, or copied in (and the
 * result copied back) when they are JavaScript arrays. Any other dtype (float64 for gradient checks, int32) takes the reference kernel,
 * which also accumulates in float64; the wasm kernel accumulates in float32.
 *
 * @example
 * const a = new Float32Array([1, 2, 3, 4]); // [[1, 2], [3, 4]]
 * const out = new Float32Array(4);
 * const operand = (data: Float32Array) => ({ data, offset: 0, batchStride: 0 });
 * wasmMatmul({ batch: 1, m: 2, n: 2, k: 2, a: operand(a), b: operand(a), out: operand(out),
 *   transA: false, transB: false, accumulate: false }); // out = [7, 10, 15, 22]
 */
export function wasmMatmul(args: MatmulArgs): void {
  const { batch, m, n, k, a, b, out, bias } = args;
  if (
    !(a.data instanceof Float32Array) ||
    !(b.data instanceof Float32Array) ||
    !(out.data instanceof Float32Array) ||
    (bias && !(bias instanceof Float32Array))
  ) {
    matmul(args);
    return;
  }
  if (batch <= 0 || m <= 0 || n <= 0) return;
  const threads = pool();
  const room = new Operands(threads);
  const inA = place(room, a, stack(a, batch, m * k), true);
  const inB = place(room, b, stack(b, batch, k * n), true);
  const outC = place(room, out, outputLayout(out, batch, m * n), args.accumulate);
  const biasAt = bias ? room.input(bias, 0, n) : 0;
  const flags =
    (args.transA ? TRANS_A : 0) | (args.transB ? TRANS_B : 0) | (args.accumulate ? ACCUMULATE : 0);
  threads.run(
    [
      ...[JOB.matmul, batch, m, n, k, inA.at, inA.stride, inB.at, inB.stride, outC.at, outC.stride],
      ...[flags, biasAt, ...clampBounds(args.activation).map(f32Word)],
    ],
    // Entries whose outputs overlap (0 < stride < m·n) must run in order, on one thread.
    2 * batch * m * n * k >= PARALLEL_FLOPS &&
      !(batch > 1 && outC.stride > 0 && outC.stride < m * n),
  );
  outC.copyBack?.();
}

/**
 * Where `x` is in wasm memory, with its batch stride there: the operand itself when its array
 * is there already, else a copy laid out by `layout` (read first when `copyIn`), which
 * `copyBack` writes back into the array.
 */
function place(
  room: Operands,
  x: MatmulOperand,
  layout: Placement,
  copyIn: boolean,
): { at: number; stride: number; copyBack?: () => void } {
  const resident = residentAddress(x.data);
  if (resident >= 0) return { at: resident + 4 * x.offset, stride: x.batchStride };
  const at = room.room(layout.elements);
  const data = x.data as Float32Array;
  if (copyIn) layout.copyIn(data, new Float32Array(room.buffer()), at / 4);
  const copyBack = () => layout.copyOut(new Float32Array(room.buffer()), at / 4, data);
  return { at, stride: layout.stride, copyBack };
}

/** How one operand sits in wasm memory: its element count and batch stride there, and the copies. */
interface Placement {
  elements: number;
  stride: number;
  copyIn(src: Float32Array, heap: Float32Array, at: number): void;
  copyOut(heap: Float32Array, at: number, dst: Float32Array): void;
}

/**
 * Dense placement: batch entries of `size` elements side by side (stride `size`), or a single
 * one (stride 0) when the operand's batch stride is 0. Gaps between entries are not copied, and
 * overlapping entries are copied twice, which is right for operands that are only read.
 */
function stack(x: MatmulOperand, batch: number, size: number): Placement {
  const count = x.batchStride === 0 ? 1 : batch;
  return {
    elements: count * size,
    stride: x.batchStride === 0 ? 0 : size,
    copyIn(src, heap, at) {
      if (count === 1 || x.batchStride === size) {
        heap.set(src.subarray(x.offset, x.offset + count * size), at);
        return;
      }
      for (let i = 0; i < count; i++) {
        const from = x.offset + i * x.batchStride;
        heap.set(src.subarray(from, from + size), at + i * size);
      }
    },
    copyOut(heap, at, dst) {
      if (count === 1 || x.batchStride === size) {
        dst.set(heap.subarray(at, at + count * size), x.offset);
        return;
      }
      for (let i = 0; i < count; i++) {
        dst.set(heap.subarray(at + i * size, at + (i + 1) * size), x.offset + i * x.batchStride);
      }
    },
  };
}

/**
 * The output's placement: dense like an input when its entries do not overlap (stride 0 or
 * ≥ size), so that gaps between them are never written; otherwise (0 < stride < size, entries
 * sharing elements) its whole span, with its own stride, so that the overlap behaves as in place.
 */
function outputLayout(out: MatmulOperand, batch: number, size: number): Placement {
  const s = out.batchStride;
  if (s === 0 || s >= size) return stack(out, batch, size);
  const span = (batch - 1) * s + size;
  return {
    elements: span,
    stride: s,
    copyIn: (src, heap, at) => heap.set(src.subarray(out.offset, out.offset + span), at),
    copyOut: (heap, at, dst) => dst.set(heap.subarray(at, at + span), out.offset),
  };
}
