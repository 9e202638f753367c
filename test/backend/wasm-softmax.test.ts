import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import type { ReduceDims } from '../../src/backend/backend.js';
import * as reference from '../../src/backend/reference/softmax.js';
import { wasmLogSoftmax, wasmLogSoftmaxBackward } from '../../src/backend/wasm/softmax.js';

/** Slices: contiguous classes (inner 1) of odd sizes, and classes strided by odd inner sizes. */
const shapes: [string, ReduceDims][] = [
  ['[N, C] logits, C = 1000', { outer: 37, size: 1000, inner: 1 }],
  ['C = 10, odd rows', { outer: 513, size: 10, inner: 1 }],
  ['C = 3, under a vector', { outer: 2000, size: 3, inner: 1 }],
  ['[N, C, H, W] along C, H·W = 130', { outer: 3, size: 21, inner: 130 }],
  ['one class', { outer: 4, size: 1, inner: 1100 }],
  ['H·W = 7', { outer: 300, size: 5, inner: 7 }],
];

/** Logits in ±scale, with ±∞, NaN and whole −∞ slices mixed in. */
function logits({ outer, size, inner }: ReduceDims, random: () => number, scale: number) {
  const x = Float32Array.from({ length: outer * size * inner }, () => (random() * 2 - 1) * scale);
  for (let k = 0; k < x.length; k += 97) x[k] = [-Infinity, Infinity, NaN][k % 3];
  for (let s = 0; s < size; s++) x[s * inner] = -Infinity; // the first slice: all −∞
  return x;
}

/** The same value or both NaN, or within `tolerance`. */
function close(got: number, want: number, tolerance: number): boolean {
  if (Number.isNaN(want) || !Number.isFinite(want)) return Object.is(got, want);
  return Math.abs(got - want) <= tolerance;
}

describe('wasm logSoftmax against the reference (float64, rounded once)', () => {
  for (const [name, d] of shapes) {
    for (const scale of [3, 1000]) {
      it(`${name}, logits in ±${scale}: within float32 rounding of x and the log-sum-exp`, () => {
        const random = seeded(d.outer + d.size + scale);
        const x = logits(d, random, scale);
        const [got, want] = [new Float32Array(x.length), new Float32Array(x.length)];
        wasmLogSoftmax(x, d, got);
        reference.logSoftmax(x, d, want);
        for (let k = 0; k < x.length; k++) {
          const tolerance = 1e-6 + 2 ** -22 * (Math.abs(x[k]) + Math.abs(want[k]));
          if (!close(got[k], want[k], tolerance)) {
            assert.fail(`[${k}] x ${x[k]}: ${got[k]} vs ${want[k]}`);
          }
        }
      });
    }
    it(`${name}: the gradient within float32 rounding of its sums`, () => {
      const random = seeded(d.outer * 3 + d.size);
      const x = Float32Array.from({ length: d.outer * d.size * d.inner }, () => random() * 8 - 4);
      const y = new Float32Array(x.length);
      reference.logSoftmax(x, d, y);
      const g = Float32Array.from(x, () => random() * 2 - 1);
      const [got, want] = [new Float32Array(x.length), new Float32Array(x.length)];
      wasmLogSoftmaxBackward(y, g, d, got);
      reference.logSoftmaxBackward(y, g, d, want);
      for (let o = 0; o < d.outer; o++) {
        for (let i = 0; i < d.inner; i++) {
          const slice = Array.from({ length: d.size }, (_, s) => (o * d.size + s) * d.inner + i);
          const mass = slice.reduce((sum, k) => sum + Math.abs(g[k]), 0);
          for (const k of slice) {
            const tolerance = (d.size + 8) * 2 ** -24 * (Math.abs(g[k]) + mass) + 1e-30;
            if (!close(got[k], want[k], tolerance)) assert.fail(`[${k}] ${got[k]} vs ${want[k]}`);
          }
        }
      }
    });
  }
});
