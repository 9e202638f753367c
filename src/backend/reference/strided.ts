import type { Strided } from '../backend.js';

/**
 * Walks `shape` row by row (all but the last axis) for several strided operands, calling
 * `row(offsets, length)` with each operand's offset at the start of the row. `offsets` is reused
 * between calls. The innermost loop stays in the kernel, where it is cheap.
 */
export function forEachRow(
  shape: readonly number[],
  operands: readonly Strided[],
  row: (offsets: number[], length: number) => void,
): void {
  const nd = shape.length;
  for (const d of shape) if (d === 0) return;
  const offsets = operands.map((o) => o.offset);
  if (nd === 0) {
    row(offsets, 1);
    return;
  }
  const length = shape[nd - 1];
  const index = new Array<number>(nd).fill(0);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= shape[d];
  for (let r = 0; r < rows; r++) {
    row(offsets, length);
    // Advance the odometer over the outer axes, moving every operand's offset with it.
    for (let d = nd - 2; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < operands.length; k++) offsets[k] += operands[k].strides[d];
      if (index[d] < shape[d]) break;
      for (let k = 0; k < operands.length; k++) offsets[k] -= operands[k].strides[d] * shape[d];
      index[d] = 0;
    }
  }
}

/** Stride of the last axis of an operand (0 for a scalar). */
export function innerStride(o: Strided): number {
  return o.strides.length === 0 ? 0 : o.strides[o.strides.length - 1];
}
