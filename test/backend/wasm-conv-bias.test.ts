import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import type { GroupedConv } from '../../src/backend/backend.js';
import * as reference from '../../src/backend/reference/conv.js';
import { wasmConv, wasmConvWeightGrad } from '../../src/backend/wasm/conv.js';
import { convGeometry } from '../helpers/conv-spec.js';

/** A conv of `sizes` = [batch, channels, outChannels, groups], padded `pad` on every side. */
function geometry(
  [batch, channels, outChannels, groups]: number[],
  inSize: number[],
  kernel: number[],
  stride: number[],
  pad: number,
): GroupedConv {
  const padding = inSize.map(() => pad);
  const spec = { batch, channels, outChannels, groups, inSize, kernel, stride };
  return convGeometry({ ...spec, padBefore: padding, padAfter: padding });
}

describe('the wasm conv adds the bias as it makes the output', () => {
  // One geometry per path of assembly/f32-conv.ts: depthwise, Winograd, im2col, pointwise.
  const cases: [string, GroupedConv][] = [
    ['depthwise', geometry([2, 6, 12, 6], [9, 7], [3, 3], [1, 1], 1)],
    ['Winograd', geometry([2, 16, 20, 1], [9, 11], [3, 3], [1, 1], 1)],
    ['im2col, strided', geometry([3, 5, 7, 1], [10, 9], [3, 3], [2, 2], 1)],
    ['pointwise', geometry([2, 8, 6, 1], [5, 7], [1, 1], [1, 1], 0)],
    ['1-D', geometry([2, 4, 5, 1], [13], [5], [1], 2)],
  ];
  for (const [name, g] of cases) {
    it(`${name}: bit for bit the conv, then + bias in float32; the reference agrees`, () => {
      const random = seeded(name.length);
      const planeIn = g.inSize.reduce((a, b) => a * b, 1);
      const planeOut = g.outSize.reduce((a, b) => a * b, 1);
      const kernel = g.kernel.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: g.batch * g.channels * planeIn }, () => random() - 0.5);
      const w = Float32Array.from(
        { length: (g.outChannels * g.channels * kernel) / g.groups },
        () => random() - 0.5,
      );
      const bias = Float32Array.from({ length: g.outChannels }, () => 4 * random() - 2);
      const plain = new Float32Array(g.batch * g.outChannels * planeOut);
      wasmConv(x, w, g, plain);
      const fused = new Float32Array(plain.length);
      wasmConv(x, w, g, fused, bias);
      const channel = (i: number) => Math.floor(i / planeOut) % g.outChannels;
      for (let i = 0; i < plain.length; i++) {
        const want = Math.fround(plain[i] + bias[channel(i)]);
        if (!Object.is(fused[i], want)) assert.fail(`${name}: [${i}] ${fused[i]} vs ${want}`);
      }
      const ref = new Float64Array(plain.length);
      reference.conv(Float64Array.from(x), Float64Array.from(w), g, ref, Float64Array.from(bias));
      for (let i = 0; i < plain.length; i++) assert.ok(Math.abs(ref[i] - fused[i]) < 1e-4);
    });
  }
});

describe('the wasm weight job sums the bias gradient from the same copy of gout', () => {
  const cases: [string, GroupedConv][] = [
    ['depthwise', geometry([2, 6, 12, 6], [9, 7], [3, 3], [1, 1], 1)],
    ['Winograd', geometry([2, 16, 20, 1], [9, 11], [3, 3], [1, 1], 1)],
    ['im2col, strided, odd positions', geometry([3, 5, 7, 1], [10, 9], [3, 3], [2, 2], 1)],
    ['pointwise', geometry([2, 8, 6, 1], [5, 7], [1, 1], [1, 1], 0)],
    ['1-D', geometry([2, 4, 5, 1], [13], [5], [1], 2)],
  ];
  for (const [name, g] of cases) {
    it(`${name}: the weight gradient unchanged, the bias gradient the float64 sums`, () => {
      const random = seeded(name.length + 1);
      const planeIn = g.inSize.reduce((a, b) => a * b, 1);
      const planeOut = g.outSize.reduce((a, b) => a * b, 1);
      const kernel = g.kernel.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: g.batch * g.channels * planeIn }, () => random() - 0.5);
      const gout = Float32Array.from(
        { length: g.batch * g.outChannels * planeOut },
        () => random() - 0.3,
      );
      const size = (g.outChannels * g.channels * kernel) / g.groups;
      const [plain, withBias] = [new Float32Array(size), new Float32Array(size)];
      wasmConvWeightGrad(x, gout, g, plain);
      const gbias = new Float32Array(g.outChannels).fill(NaN);
      wasmConvWeightGrad(x, gout, g, withBias, gbias);
      assert.deepEqual(withBias, plain);
      for (let c = 0; c < g.outChannels; c++) {
        let want = 0;
        for (let n = 0; n < g.batch; n++) {
          for (let p = 0; p < planeOut; p++) want += gout[(n * g.outChannels + c) * planeOut + p];
        }
        assert.ok(Math.abs(gbias[c] - want) <= 1e-6 * Math.max(1, Math.abs(want)), `channel ${c}`);
      }
      const ref = new Float32Array(g.outChannels);
      reference.convWeightGrad(x, gout, g, new Float32Array(size), ref);
      assert.deepEqual(gbias, ref, 'the reference sums the same way');
    });
  }
});
