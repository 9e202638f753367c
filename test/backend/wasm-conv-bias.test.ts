import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import type { GroupedConv } from '../../src/backend/backend.js';
import * as reference from '../../src/backend/reference/conv.js';
import {
  wasmConv,
  wasmConvAdjoint,
  wasmConvBackward,
  wasmConvWeightGrad,
} from '../../src/backend/wasm/conv.js';
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

describe('wasm convBackward: one copy of gout, gated in place, then the gradients asked for', () => {
  const cases: [string, GroupedConv][] = [
    ['depthwise', geometry([2, 6, 12, 6], [9, 7], [3, 3], [1, 1], 1)],
    ['Winograd', geometry([2, 16, 20, 1], [9, 11], [3, 3], [1, 1], 1)],
    ['Winograd on the threads', geometry([4, 16, 40, 1], [20, 18], [3, 3], [1, 1], 1)],
    ['im2col, strided, odd positions', geometry([3, 5, 7, 1], [10, 9], [3, 3], [2, 2], 1)],
    ['pointwise', geometry([2, 8, 6, 1], [5, 7], [1, 1], [1, 1], 0)],
    ['1-D', geometry([2, 4, 5, 1], [13], [5], [1], 2)],
  ];
  for (const [name, g] of cases) {
    it(`${name}: bit for bit the gate, convAdjoint and convWeightGrad; bias sums in float64`, () => {
      const random = seeded(name.length + 1);
      const planeIn = g.inSize.reduce((a, b) => a * b, 1);
      const planeOut = g.outSize.reduce((a, b) => a * b, 1);
      const kernel = g.kernel.reduce((a, b) => a * b, 1);
      const fill = (length: number, f: () => number) => Float32Array.from({ length }, f);
      const x = fill(g.batch * g.channels * planeIn, () => random() - 0.5);
      const w = fill((g.outChannels * g.channels * kernel) / g.groups, () => random() - 0.5);
      const outs = g.batch * g.outChannels * planeOut;
      const gout = fill(outs, () => random() - 0.3);
      // Outputs of a ReLU or ReLU6: 0, inside, 6, NaN (every case of the gate).
      const y = fill(outs, () => [0, 0.5, 3, 6, NaN][Math.floor(random() * 5)]);
      for (const kind of ['relu', 'relu6'] as const) {
        const gated = gout.map((v, i) => (y[i] > 0 && (kind === 'relu' || y[i] < 6) ? v : 0));
        const want = {
          gin: new Float32Array(x.length),
          gw: new Float32Array(w.length),
          gbias: new Float32Array(g.outChannels),
        };
        wasmConvAdjoint(gated, w, g, want.gin);
        wasmConvWeightGrad(x, gated, g, want.gw);
        reference.convBackward({ x, w, gout: gated, geom: g, gbias: want.gbias });
        // Every subset of the three gradients, as requiresGrad picks them.
        for (let mask = 1; mask < 8; mask++) {
          const got = {
            gin: mask & 1 ? new Float32Array(x.length) : undefined,
            gw: mask & 2 ? new Float32Array(w.length) : undefined,
            gbias: mask & 4 ? new Float32Array(g.outChannels).fill(NaN) : undefined,
          };
          wasmConvBackward({ x, w, gout, geom: g, activation: { kind, y }, ...got });
          for (const key of ['gin', 'gw'] as const) {
            if (got[key]) assert.deepEqual(got[key], want[key], `${kind} ${key} mask ${mask}`);
          }
          got.gbias?.forEach((v, c) => {
            const tolerance = 1e-6 * Math.max(1, Math.abs(want.gbias[c]));
            assert.ok(Math.abs(v - want.gbias[c]) <= tolerance, `${kind} bias ${c} mask ${mask}`);
          });
        }
      }
    });
  }
});
