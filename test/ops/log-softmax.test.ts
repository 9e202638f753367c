import assert from 'node:assert/strict';
import { onBackend } from '../helpers/backend.js';
import { describe, it } from 'node:test';
import { Generator, logSoftmax, randn, tensor } from '../../src/index.js';

for (const backend of ['wasm', 'reference']) {
  describe(`logSoftmax kernel on the ${backend} backend`, () => {
    it('∞ and NaN as PyTorch: an all −∞ slice is NaN, +∞ gives NaN and −∞, NaN spreads', () => {
      onBackend(backend, () => {
        const x = tensor([
          [-Infinity, -Infinity, -Infinity],
          [Infinity, 1, 2],
          [NaN, 0, 1],
          [-Infinity, 0, 0],
        ]);
        const y = logSoftmax(x, 1).toArray() as number[][];
        assert.ok(y[0].every(Number.isNaN));
        assert.ok(Number.isNaN(y[1][0]) && y[1][1] === -Infinity && y[1][2] === -Infinity);
        assert.ok(y[2].every(Number.isNaN));
        assert.equal(y[3][0], -Infinity);
        assert.ok(Math.abs(y[3][1] - Math.log(0.5)) < 1e-7);
      });
    });

    it('along dim 1 of [N, C, H, W] (classes strided by H·W), as the float64 formula', () => {
      onBackend(backend, () => {
        const x = randn([2, 5, 3, 4], { generator: new Generator(3) }).mul(6);
        const y = logSoftmax(x, 1);
        const at = (n: number, c: number, p: number) => (n * 5 + c) * 12 + p;
        for (let n = 0; n < 2; n++) {
          for (let p = 0; p < 12; p++) {
            const row = [0, 1, 2, 3, 4].map((c) => x.data[at(n, c, p)]);
            const m = Math.max(...row);
            const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
            row.forEach((v, c) => {
              const want = Math.fround(v - lse);
              assert.ok(Math.abs(y.data[at(n, c, p)] - want) <= 2e-7 * Math.max(1, Math.abs(want)));
            });
          }
        }
      });
    });

    it('its gradient is g − softmax·Σg, per slice', () => {
      onBackend(backend, () => {
        const x = randn([3, 4, 2], { generator: new Generator(5) }).requireGrad();
        const g = randn([3, 4, 2], { generator: new Generator(6) });
        logSoftmax(x, 1).mul(g).sum().backward();
        const y = logSoftmax(x.detach(), 1);
        for (let o = 0; o < 3; o++) {
          for (let i = 0; i < 2; i++) {
            const idx = [0, 1, 2, 3].map((s) => (o * 4 + s) * 2 + i);
            const total = idx.reduce((s, k) => s + g.data[k], 0);
            for (const k of idx) {
              const want = g.data[k] - Math.exp(y.data[k]) * total;
              assert.ok(Math.abs(x.grad!.data[k] - want) < 1e-5, `${k}`);
            }
          }
        }
      });
    });
  });
}
