import type { Strided } from '../backend.js';

/**
 * Merges adjacent dims that every operand walks contiguously (stride[d] = stride[d+1]·shape[d+1]),
 * so a same-layout operation becomes one long row and broadcasts become few, long rows.
 */
export function coalesce(shape: readonly number[], operands: readonly Strided[]) {
  const dims = [...shape];
  const strides = operands.map((o) => [...o.strides]);
  for (let d = dims.length - 2; d >= 0; d--) {
    const mergeable = strides.every((s) => s[d] === s[d + 1] * dims[d + 1]);
    if (!mergeable) continue;
    dims[d] *= dims[d + 1];
    dims.splice(d + 1, 1);
    strides.forEach((s) => {
      s[d] = s[d + 1];
      s.splice(d + 1, 1);
    });
  }
  return { dims, strides };
}

/**
 * Walks `shape` row by row (all but the last axis, after merging contiguous dims) for several
 * strided operands, calling `row(offsets, length, innerStrides)` with each operand's offset at
 * the start of the row and its stride along the row. The innermost loop stays in the kernel.
 */
export function forEachRow(
  shape: readonly number[],
  operands: readonly Strided[],
  row: (offsets: number[], length: number, innerStrides: number[]) => void,
): void {
  for (const d of shape) if (d === 0) return;
  const offsets = operands.map((o) => o.offset);
  if (shape.length === 0) {
    row(
      offsets,
      1,
      operands.map(() => 0),
    );
    return;
  }
  const { dims, strides } = coalesce(shape, operands);
  const nd = dims.length;
  const length = dims[nd - 1];
  const inner = strides.map((s) => s[nd - 1]);
  const index = new Array<number>(nd).fill(0);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= dims[d];
  for (let r = 0; r < rows; r++) {
    row(offsets, length, inner);
    // Advance the odometer over the outer axes, moving every operand's offset with it.
    for (let d = nd - 2; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < operands.length; k++) offsets[k] += strides[k][d];
      if (index[d] < dims[d]) break;
      for (let k = 0; k < operands.length; k++) offsets[k] -= strides[k][d] * dims[d];
      index[d] = 0;
    }
  }
}
