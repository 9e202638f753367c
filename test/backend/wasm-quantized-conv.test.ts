import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import type { GroupedConv, Int8ConvWeights, Requantization } from '../../src/backend/backend.js';
import { quantizedConv } from '../../src/backend/reference/quantized-conv.js';
import { planeSizes } from '../../src/backend/reference/im2col.js';
import { wasmQuantizedConv } from '../../src/backend/wasm/quantized-conv.js';
import { convGeometry, type ConvSpec } from '../helpers/conv-spec.js';

type Spec = ConvSpec;

/**
 * Random int8 weights, biases, multipliers and activation ranges for a geometry, with inputs
 * that also fall outside the input range (so the clamps are hit) and, on request, NaN and ±∞.
 */
function problem(g: GroupedConv, seed: number, specials = false) {
  const random = seeded(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const { inCount, rowsPerChannel, outCount } = planeSizes(g);
  const k = (g.channels / g.groups) * rowsPerChannel;
  const x = Float32Array.from({ length: g.batch * g.channels * inCount }, () => random() * 4 - 1.5);
  if (specials && x.length >= 3) [x[0], x[1], x[2]] = [Number.NaN, Infinity, -Infinity];
  const weights: Int8ConvWeights = {
    values: Int8Array.from({ length: g.outChannels * k }, () => int(-127, 127)),
    bias: Int32Array.from({ length: g.outChannels }, () => int(-3000, 3000)),
    multiplier: Float64Array.from({ length: g.outChannels }, () => (0.2 + random()) / (40 * k)),
  };
  const outputZero = int(0, 255);
  const quant: Requantization = {
    input: { scale: Math.fround(0.005 + random() * 0.02), zeroPoint: int(0, 255) },
    output: { scale: Math.fround(0.01 + random() * 0.05), zeroPoint: outputZero },
    min: random() < 0.5 ? 0 : outputZero,
    max: random() < 0.5 ? 255 : int(outputZero, 255),
  };
  return { x, weights, quant, outLength: g.batch * g.outChannels * outCount };
}

/** Runs both backends' int8 conv and asks for the same bits. */
function checkSame(spec: Spec, seed: number, specials = false): void {
  const g = convGeometry(spec);
  const { x, weights, quant, outLength } = problem(g, seed, specials);
  const want = new Float32Array(outLength);
  quantizedConv(x, weights, g, quant, want);
  const got = new Float32Array(outLength).fill(Number.NaN);
  wasmQuantizedConv(x, weights, g, quant, got);
  for (let i = 0; i < outLength; i++) {
    if (!Object.is(got[i], want[i])) {
      assert.fail(
        `${JSON.stringify(spec)} seed ${seed}: out[${i}] = ${got[i]}, reference ${want[i]}`,
      );
    }
  }
}

describe('wasm int8 conv (bit-identical to the reference)', () => {
  it('2-D convs: 3×3 pad 1, pointwise, strided, dilated, asymmetric padding, odd sizes', () => {
    const specs: Spec[] = [
      {
        batch: 2,
        channels: 8,
        outChannels: 16,
        inSize: [14, 14],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      { batch: 1, channels: 3, outChannels: 5, inSize: [7, 9], kernel: [3, 3] },
      { batch: 3, channels: 16, outChannels: 8, inSize: [5, 5], kernel: [1, 1] },
      {
        batch: 2,
        channels: 5,
        outChannels: 7,
        inSize: [11, 13],
        kernel: [3, 3],
        stride: [2, 2],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 1,
        channels: 4,
        outChannels: 6,
        inSize: [9, 10],
        kernel: [3, 2],
        dilation: [2, 3],
        padBefore: [2, 0],
        padAfter: [1, 3],
      },
      {
        batch: 2,
        channels: 1,
        outChannels: 9,
        inSize: [28, 28],
        kernel: [5, 5],
        padBefore: [2, 2],
        padAfter: [2, 2],
      },
      { batch: 4, channels: 2, outChannels: 3, inSize: [6, 6], kernel: [2, 2], stride: [3, 3] },
      { batch: 5, channels: 3, outChannels: 4, inSize: [1, 1], kernel: [1, 1] },
      { batch: 3, channels: 6, outChannels: 4, inSize: [3, 3], kernel: [3, 3] },
      {
        batch: 1,
        channels: 7,
        outChannels: 1,
        inSize: [1, 1],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
    ];
    specs.forEach((spec, i) => checkSame(spec, 100 + i));
  });

  it('groups, depthwise with a channel multiplier, 1-D and 3-D', () => {
    const specs: Spec[] = [
      {
        batch: 2,
        channels: 8,
        outChannels: 8,
        groups: 8,
        inSize: [9, 9],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 1,
        channels: 6,
        outChannels: 12,
        groups: 6,
        inSize: [7, 5],
        kernel: [3, 3],
        stride: [2, 2],
      },
      {
        batch: 2,
        channels: 12,
        outChannels: 6,
        groups: 3,
        inSize: [6, 7],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 3,
        channels: 4,
        outChannels: 10,
        inSize: [17],
        kernel: [5],
        stride: [2],
        padBefore: [2],
        padAfter: [2],
      },
      {
        batch: 2,
        channels: 6,
        outChannels: 4,
        groups: 2,
        inSize: [11],
        kernel: [3],
        dilation: [3],
      },
      {
        batch: 1,
        channels: 3,
        outChannels: 5,
        inSize: [4, 5, 6],
        kernel: [3, 3, 3],
        padBefore: [1, 1, 1],
        padAfter: [1, 1, 1],
      },
      {
        batch: 2,
        channels: 2,
        outChannels: 3,
        inSize: [5, 4, 3],
        kernel: [2, 1, 3],
        stride: [2, 1, 1],
      },
    ];
    specs.forEach((spec, i) => checkSame(spec, 200 + i));
  });

  it('linear layers (no spatial dims): odd and even widths, one row and many', () => {
    const specs: Spec[] = [
      { batch: 1, channels: 9216, outChannels: 10, inSize: [], kernel: [] },
      { batch: 64, channels: 33, outChannels: 7, inSize: [], kernel: [] },
      { batch: 13, channels: 1, outChannels: 1, inSize: [], kernel: [] },
      { batch: 256, channels: 128, outChannels: 10, inSize: [], kernel: [] },
    ];
    specs.forEach((spec, i) => checkSame(spec, 300 + i));
  });

  it('NaN and ±∞ inputs quantize as the reference does', () => {
    checkSame({ batch: 2, channels: 3, outChannels: 5, inSize: [4, 4], kernel: [3, 3] }, 400, true);
    checkSame({ batch: 3, channels: 8, outChannels: 5, inSize: [], kernel: [] }, 401, true);
  });

  it('random shapes', () => {
    const random = seeded(7);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    for (let trial = 0; trial < 60; trial++) {
      const dims = int(0, 3);
      const groups = int(1, 3);
      const kernel = Array.from({ length: dims }, () => int(1, 3));
      const padBefore = kernel.map(() => int(0, 2));
      const padAfter = kernel.map(() => int(0, 2));
      const dilation = kernel.map(() => int(1, 2));
      const inSize = kernel.map(
        (k, i) => Math.max(1, dilation[i] * (k - 1) + 1 - padBefore[i] - padAfter[i]) + int(0, 6),
      );
      const spec: Spec = {
        batch: int(1, 4),
        channels: groups * int(1, 5),
        outChannels: groups * int(1, 6),
        groups,
        inSize,
        kernel,
        stride: kernel.map(() => int(1, 3)),
        padBefore,
        padAfter,
        dilation,
      };
      checkSame(spec, 1000 + trial);
    }
  });
});
