import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import type { ChannelDims } from '../../src/backend/backend.js';
import { normalize, normalizeBackward } from '../../src/backend/reference/normalize.js';
import { wasmNormalize, wasmNormalizeBackward } from '../../src/backend/wasm/normalize.js';

/** Bitwise equality, NaN equal to NaN. */
function same(got: Float32Array, want: Float32Array, name: string): void {
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i]))
      assert.fail(`${name}: [${i}] = ${got[i]}, reference ${want[i]}`);
  }
}

describe('wasm normalize against the reference, bit for bit', () => {
  it('batch-norm, layer-norm and group-norm layouts, with a large mean and a constant channel', () => {
    const cases: ChannelDims[] = [
      { outer: 8, channels: 16, inner: 49 }, // batch norm over N, H, W
      { outer: 1, channels: 40, inner: 300 }, // layer norm over trailing dims
      { outer: 3, channels: 5, inner: 1000 },
      { outer: 64, channels: 3, inner: 33 },
    ];
    cases.forEach((d, k) => {
      const random = seeded(k);
      const size = d.outer * d.channels * d.inner;
      const x = Float32Array.from({ length: size }, (_, i) =>
        Math.floor(i / d.inner) % d.channels === 0 ? 7 : 1000 + random() * 3,
      );
      const out = () => [
        new Float32Array(size),
        new Float32Array(d.channels),
        new Float32Array(d.channels),
      ];
      const [gotX, gotM, gotV] = out();
      const [wantX, wantM, wantV] = out();
      wasmNormalize(x, d, 1e-5, gotX, gotM, gotV);
      normalize(x, d, 1e-5, wantX, wantM, wantV);
      same(gotX, wantX, `xhat ${JSON.stringify(d)}`);
      same(gotM, wantM, 'mean');
      same(gotV, wantV, 'variance');
      const g = Float32Array.from({ length: size }, () => random() * 2 - 1);
      const invStd = wantV.map((v) => 1 / Math.sqrt(v + 1e-5));
      const [gotD, wantD] = [new Float32Array(size), new Float32Array(size)];
      wasmNormalizeBackward(g, wantX, invStd, d, gotD);
      normalizeBackward(g, wantX, invStd, d, wantD);
      same(gotD, wantD, `dx ${JSON.stringify(d)}`);
    });
  });
});
