import assert from 'node:assert/strict';
import type { Tensor } from '../../src/tensor/tensor.js';

/** Equal shapes and values as numbers (+0 and −0 alike), NaN where the other is NaN. */
export function assertSame(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, what);
  for (let i = 0; i < got.size; i++) {
    const [a, b] = [got.data[i], want.data[i]];
    if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) {
      assert.fail(`${what}: [${i}] ${a} vs ${b}`);
    }
  }
}
