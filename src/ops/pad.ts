import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { gatherMap, mapAxis } from './axis-map.js';
import { traced } from './trace.js';

/** How `pad` fills the border: a constant, a mirror without/with the edge... as `F.pad`. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Options of `pad`. */
export interface PadOptions {
  /** Default 'constant'. */
  mode?: PadMode;
  /** The fill value of 'constant' mode (default 0). */
  value?: number;
}

/**
 * Pads (or, with negative amounts, crops) the last dims, as `torch.nn.functional.pad`: `pad` lists
 * (before, after) pairs starting from the last dim — [left, right, top, bottom, front, back].
 * 'reflect' mirrors without repeating the edge (needs pad < size), 'replicate' repeats the edge,
 * 'circular' wraps around (needs pad ≤ size).
 * Shape: each padded dim grows by before + after.
 *
 * @example pad(x, [1, 1, 2, 0], { mode: 'reflect' }) // W += 2, H += 2 (all at the top)
 */
export function pad(x: Tensor, pad: readonly number[], options: PadOptions = {}): Tensor {
  const mode = options.mode ?? 'constant';
  check(
    pad.length % 2 === 0 && pad.length / 2 <= x.ndim && pad.every(Number.isInteger),
    'pad',
    () =>
      `pad must list integer (before, after) pairs for at most ${x.ndim} dims, got [${pad.join(', ')}]`,
  );
  let out = x;
  for (let p = 0; p < pad.length / 2; p++) {
    const axis = x.ndim - 1 - p;
    const [before, after] = [pad[2 * p], pad[2 * p + 1]];
    const n = x.shape[axis];
    const size = n + before + after;
    check(
      size >= 0,
      'pad',
      () => `padding (${before}, ${after}) leaves dim ${axis} of ${fmt(x.shape)} negative`,
    );
    if (mode !== 'constant') {
      check(
        n > 0,
        'pad',
        () => `${mode} padding needs a non-empty dim ${axis}, got shape ${fmt(x.shape)}`,
      );
      const limit = mode === 'reflect' ? n - 1 : mode === 'circular' ? n : Infinity;
      check(
        Math.max(before, after) <= limit,
        'pad',
        () =>
          `${mode} padding (${before}, ${after}) must be at most ${limit} for dim ${axis} of size ${n} (shape ${fmt(x.shape)})`,
      );
    }
    out = mapAxis(
      out,
      axis,
      gatherMap(size, (o) => source(o - before, n, mode), options.value ?? 0),
      'pad',
    );
  }
  return traced('pad', out, [x], { pad, mode, value: options.value ?? 0 });
}

/** The input position that padded position i (relative to the input start) reads; −1 = fill. */
function source(i: number, n: number, mode: PadMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'replicate':
      return i < 0 ? 0 : n - 1;
    case 'circular':
      return ((i % n) + n) % n;
    case 'reflect':
      return i < 0 ? -i : 2 * (n - 1) - i;
  }
}
