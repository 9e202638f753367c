import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import type { GroupedConv } from '../../src/backend/backend.js';
import type { TypedArray } from '../../src/backend/dtype.js';
import * as reference from '../../src/backend/reference/conv.js';
import { threadCount } from '../../src/backend/wasm/index.js';
import {
  wasmConv,
  wasmConvAdjoint,
  wasmConvBackward,
  wasmConvWeightGrad,
} from '../../src/backend/wasm/conv.js';

/** The unit roundoff of float32. */
const U = 2 ** -24;

interface Spec {
  batch: number;
  channels: number;
  outChannels: number;
  groups: number;
  inSize: number[];
  kernel: number[];
  stride?: number[];
  padBefore?: number[];
  padAfter?: number[];
  dilation?: number[];
}

/** The full geometry of a spec: defaults, and output sizes as conv computes them. */
function geometry(s: Spec): GroupedConv {
  const d = s.inSize.length;
  const ones = new Array<number>(d).fill(1);
  const zeros = new Array<number>(d).fill(0);
  const stride = s.stride ?? ones;
  const dilation = s.dilation ?? ones;
  const padBefore = s.padBefore ?? zeros;
  const padAfter = s.padAfter ?? zeros;
  const outSize = s.inSize.map(
    (n, i) =>
      Math.floor(
        (n + padBefore[i] + padAfter[i] - dilation[i] * (s.kernel[i] - 1) - 1) / stride[i],
      ) + 1,
  );
  return { ...s, stride, dilation, padBefore, outSize };
}

const count = (sizes: readonly number[]) => sizes.reduce((p, s) => p * s, 1);

type Kernel = (a: TypedArray, b: TypedArray, g: GroupedConv, out: TypedArray) => void;

/**
 * Runs one of the three maps on wasm (float32) and on the reference (float64), and checks each
 * element against the float32 summation bound (Higham §3.1): |Δ| ≤ (terms + 2)·u·Σ|a||b|, where
 * Σ|a||b| is the reference map applied to |a| and |b| and `terms` is the longest sum it makes.
 */
function check(
  name: string,
  wasm: Kernel,
  ref: Kernel,
  sizes: [number, number, number],
  terms: number,
  g: GroupedConv,
  seed: number,
): void {
  const random = seeded(seed);
  const a = Float32Array.from({ length: sizes[0] }, () => random() * 2 - 1);
  const b = Float32Array.from({ length: sizes[1] }, () => random() * 2 - 1);
  const got = new Float32Array(sizes[2]).fill(Number.NaN);
  wasm(a, b, g, got);
  const want = new Float64Array(sizes[2]);
  ref(Float64Array.from(a), Float64Array.from(b), g, want);
  const bound = new Float64Array(sizes[2]);
  ref(Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), g, bound);
  for (let i = 0; i < got.length; i++) {
    const tolerance = (terms + 2) * U * bound[i] + 1e-30;
    const error = Math.abs(got[i] - want[i]);
    if (!(error <= tolerance)) {
      assert.fail(
        `${name} ${JSON.stringify(g)} seed ${seed}: [${i}] = ${got[i]}, reference ${want[i]}, |Δ| ${error} > ${tolerance}`,
      );
    }
  }
}

/** Checks conv, its adjoint and its weight gradient for one geometry. */
function checkAll(spec: Spec, seed: number): void {
  const g = geometry(spec);
  const xSize = g.batch * g.channels * count(g.inSize);
  const ySize = g.batch * g.outChannels * count(g.outSize);
  const wSize = g.outChannels * (g.channels / g.groups) * count(g.kernel);
  const perOutput = (g.channels / g.groups) * count(g.kernel);
  check('conv', wasmConv, reference.conv, [xSize, wSize, ySize], perOutput, g, seed);
  // Each input receives from at most every output channel of its group at every tap.
  const perInput = (g.outChannels / g.groups) * count(g.kernel);
  check(
    'convAdjoint',
    wasmConvAdjoint,
    reference.convAdjoint,
    [ySize, wSize, xSize],
    perInput,
    g,
    seed + 1,
  );
  const perWeight = g.batch * count(g.outSize);
  check(
    'convWeightGrad',
    wasmConvWeightGrad,
    reference.convWeightGrad,
    [xSize, ySize, wSize],
    perWeight,
    g,
    seed + 2,
  );
  checkFused(g, [xSize, wSize, ySize], seed + 3);
}

/**
 * The fused paths against the plain maps on the same geometry, bit for bit: the forward with a
 * bias and an activation is clamp(conv + bias) in float32, and `convBackward` (one subset of the
 * gradients, by seed) is the two adjoints of the gated gradient, with the bias sums within
 * float32 rounding of their float64 value.
 */
function checkFused(g: GroupedConv, [xSize, wSize, ySize]: number[], seed: number): void {
  const random = seeded(seed);
  const fill = (length: number) => Float32Array.from({ length }, () => random() * 2 - 1);
  const [x, w, bias] = [fill(xSize), fill(wSize), fill(g.outChannels)];
  const kind = seed % 2 === 0 ? 'relu' : 'relu6';
  const [lo, hi] = kind === 'relu' ? [0, Infinity] : [0, 6];
  const plain = new Float32Array(ySize);
  wasmConv(x, w, g, plain);
  const fused = new Float32Array(ySize);
  wasmConv(x, w, g, fused, bias, kind);
  const channel = (i: number) => Math.floor(i / count(g.outSize)) % g.outChannels;
  plain.forEach((v, i) => {
    const want = Math.min(Math.max(Math.fround(v + bias[channel(i)]), lo), hi);
    if (!Object.is(fused[i], want))
      assert.fail(`fused conv seed ${seed}: [${i}] ${fused[i]} vs ${want}`);
  });
  const gout = fill(ySize);
  const gated = gout.map((v, i) => (fused[i] > lo && fused[i] < hi ? v : 0));
  const mask = 1 + (seed % 7); // which of gin, gw, gbias
  const got = {
    gin: mask & 1 ? new Float32Array(xSize).fill(NaN) : undefined,
    gw: mask & 2 ? new Float32Array(wSize).fill(NaN) : undefined,
    gbias: mask & 4 ? new Float32Array(g.outChannels).fill(NaN) : undefined,
  };
  wasmConvBackward({ x, w, gout, geom: g, activation: { kind, y: fused }, ...got });
  if (got.gin) {
    const want = new Float32Array(xSize);
    wasmConvAdjoint(gated, w, g, want);
    assert.deepEqual(got.gin, want, `convBackward gin seed ${seed}`);
  }
  if (got.gw) {
    const want = new Float32Array(wSize);
    wasmConvWeightGrad(x, gated, g, want);
    assert.deepEqual(got.gw, want, `convBackward gw seed ${seed}`);
  }
  got.gbias?.forEach((v, c) => {
    let want = 0;
    let size = 0;
    gated.forEach((e, i) => {
      if (channel(i) === c) [want, size] = [want + e, size + Math.abs(e)];
    });
    assert.ok(Math.abs(v - want) <= 2 * U * size + 1e-30, `convBackward gbias ${c} seed ${seed}`);
  });
}

describe(`wasm convolution on ${threadCount()} threads against the reference kernels`, () => {
  it('3×3 pad 1, pointwise, strided, dilated, asymmetric padding', () => {
    let seed = 0;
    const specs: Spec[] = [
      {
        batch: 2,
        channels: 3,
        outChannels: 5,
        groups: 1,
        inSize: [7, 6],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      { batch: 1, channels: 4, outChannels: 9, groups: 1, inSize: [5, 5], kernel: [1, 1] },
      {
        batch: 3,
        channels: 2,
        outChannels: 3,
        groups: 1,
        inSize: [9, 8],
        kernel: [3, 2],
        stride: [2, 3],
      },
      {
        batch: 2,
        channels: 3,
        outChannels: 4,
        groups: 1,
        inSize: [9, 11],
        kernel: [3, 3],
        dilation: [2, 3],
        padBefore: [2, 0],
        padAfter: [0, 3],
      },
      {
        batch: 1,
        channels: 2,
        outChannels: 2,
        groups: 1,
        inSize: [8, 8],
        kernel: [2, 2],
        stride: [4, 5],
        padBefore: [1, 2],
      },
      { batch: 2, channels: 5, outChannels: 6, groups: 1, inSize: [1, 1], kernel: [1, 1] },
      {
        batch: 1,
        channels: 3,
        outChannels: 2,
        groups: 1,
        inSize: [1, 1],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
    ];
    for (const spec of specs) checkAll(spec, (seed += 10));
  });

  it('groups, depthwise (with a channel multiplier), strides > kernel', () => {
    let seed = 100;
    const specs: Spec[] = [
      {
        batch: 2,
        channels: 6,
        outChannels: 4,
        groups: 2,
        inSize: [6, 7],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 2,
        channels: 8,
        outChannels: 8,
        groups: 8,
        inSize: [9, 10],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 1,
        channels: 4,
        outChannels: 12,
        groups: 4,
        inSize: [7, 9],
        kernel: [3, 3],
        stride: [2, 2],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 3,
        channels: 5,
        outChannels: 5,
        groups: 5,
        inSize: [11, 13],
        kernel: [5, 5],
        dilation: [2, 1],
        padBefore: [4, 2],
        padAfter: [4, 2],
      },
      {
        batch: 1,
        channels: 3,
        outChannels: 3,
        groups: 3,
        inSize: [10, 10],
        kernel: [2, 2],
        stride: [3, 4],
      },
      { batch: 1, channels: 1, outChannels: 7, groups: 1, inSize: [12, 5], kernel: [3, 3] },
    ];
    for (const spec of specs) checkAll(spec, (seed += 10));
  });

  it('1-D and 3-D', () => {
    checkAll(
      {
        batch: 2,
        channels: 3,
        outChannels: 4,
        groups: 1,
        inSize: [17],
        kernel: [5],
        stride: [2],
        padBefore: [2],
        padAfter: [2],
      },
      200,
    );
    checkAll(
      {
        batch: 2,
        channels: 4,
        outChannels: 4,
        groups: 4,
        inSize: [13],
        kernel: [3],
        dilation: [3],
        padBefore: [3],
        padAfter: [3],
      },
      210,
    );
    checkAll(
      {
        batch: 1,
        channels: 2,
        outChannels: 3,
        groups: 1,
        inSize: [5, 6, 4],
        kernel: [3, 3, 2],
        stride: [1, 2, 1],
        padBefore: [1, 1, 0],
        padAfter: [1, 1, 1],
      },
      220,
    );
    checkAll(
      {
        batch: 2,
        channels: 3,
        outChannels: 3,
        groups: 3,
        inSize: [4, 5, 6],
        kernel: [3, 3, 3],
        padBefore: [1, 1, 1],
        padAfter: [1, 1, 1],
      },
      230,
    );
  });

  it('shapes large enough to share out among threads, and column slices', () => {
    checkAll(
      {
        batch: 4,
        channels: 16,
        outChannels: 24,
        groups: 1,
        inSize: [20, 20],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      300,
    );
    checkAll(
      {
        batch: 1,
        channels: 64,
        outChannels: 32,
        groups: 1,
        inSize: [40, 44],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      310,
    );
    checkAll(
      { batch: 1, channels: 96, outChannels: 40, groups: 1, inSize: [30, 30], kernel: [1, 1] },
      320,
    );
    checkAll(
      {
        batch: 3,
        channels: 32,
        outChannels: 32,
        groups: 32,
        inSize: [30, 31],
        kernel: [3, 3],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      330,
    );
    checkAll(
      {
        batch: 2,
        channels: 12,
        outChannels: 12,
        groups: 3,
        inSize: [33, 35],
        kernel: [3, 3],
        stride: [2, 2],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      340,
    );
  });

  it('depthwise: widths around the vector width, strides, dilation, padding, kernel sizes', () => {
    // One input channel per group takes the direct kernels (assembly/f32-dwconv.ts): whole
    // blocks of 4 positions inside the row, zero-filled blocks at its ends, 3×3 taps in
    // registers and paired rows at stride 1, the input gradient's phases at stride > 1, and
    // rows under 4 one position at a time.
    let seed = 400;
    const depthwise = (
      inSize: number[],
      kernel: number[],
      options: Partial<Spec> = {},
      multiplier = 1,
    ): Spec => ({
      batch: 1,
      channels: 2,
      outChannels: 2 * multiplier,
      groups: 2,
      inSize,
      kernel,
      ...options,
    });
    const same = (k: number[]) => ({
      padBefore: k.map((n) => n >> 1),
      padAfter: k.map((n) => n >> 1),
    });
    const specs: Spec[] = [
      ...[1, 2, 3, 4, 5, 7, 8, 9, 57].map((w) => depthwise([5, w], [3, 3], same([3, 3]))),
      ...[3, 4, 7, 9, 57].map((w) => depthwise([6, w], [3, 3])),
      ...[5, 7, 9, 57].map((w) => depthwise([7, w], [3, 3], { ...same([3, 3]), stride: [2, 2] })),
      ...[7, 9, 57].map((w) => depthwise([7, w], [3, 3], { ...same([3, 3]), stride: [3, 3] })),
      depthwise([9, 23], [3, 3], { ...same([3, 3]), stride: [1, 2] }),
      depthwise([8, 21], [3, 3], { dilation: [2, 2], padBefore: [2, 2], padAfter: [2, 2] }),
      depthwise([8, 21], [3, 3], { dilation: [1, 3], padBefore: [0, 3], padAfter: [2, 1] }),
      depthwise([6, 13], [3, 3], { padBefore: [0, 2], padAfter: [1, 0] }),
      depthwise([6, 13], [3, 3], { padBefore: [3, 4], padAfter: [4, 3] }),
      depthwise([9, 19], [5, 5], same([5, 5])),
      depthwise([9, 19], [5, 5], { ...same([5, 5]), stride: [2, 2] }),
      depthwise([6, 17], [1, 3], same([1, 3])),
      depthwise([6, 17], [3, 1], same([3, 1])),
      depthwise([4, 5], [7, 7], same([7, 7])),
      depthwise([1, 1], [3, 3], same([3, 3])),
      depthwise([1, 1], [1, 1]),
      depthwise([7, 12], [3, 3], same([3, 3]), 2),
      depthwise([7, 9], [3, 3], { ...same([3, 3]), stride: [2, 2] }, 3),
      depthwise([7, 13], [2, 4], { padBefore: [1, 1], padAfter: [0, 2] }, 2),
      depthwise([41], [3], same([3])),
      depthwise([41], [5], { stride: [2], padBefore: [1], padAfter: [3] }, 2),
      depthwise([5, 6, 11], [3, 3, 3], same([3, 3, 3])),
      depthwise([5, 7, 10], [3, 3, 3], { ...same([3, 3, 3]), stride: [2, 1, 2] }),
      {
        ...depthwise([13, 29], [3, 3], same([3, 3])),
        batch: 3,
        channels: 5,
        groups: 5,
        outChannels: 5,
      },
    ];
    for (const spec of specs) checkAll(spec, (seed += 10));
  });

  it('depthwise weight gradient: an infinite input reaches only the taps that read it', () => {
    // A row of 7 with a 3-tap valid kernel has 5 outputs; the last block of 4 output columns
    // runs past them, and those columns must not multiply input column 6 by a zero gradient
    // (0·∞ = NaN) into the taps that never read it.
    const g = geometry({
      batch: 1,
      channels: 1,
      outChannels: 1,
      groups: 1,
      inSize: [2, 7],
      kernel: [1, 3],
    });
    const x = Float32Array.from({ length: 14 }, (_, i) => (i % 7 === 6 ? Infinity : i / 8));
    const gout = Float32Array.from({ length: 10 }, (_, i) => 1 - i / 16);
    const got = new Float32Array(3);
    wasmConvWeightGrad(x, gout, g, got);
    const want = new Float64Array(3);
    reference.convWeightGrad(Float64Array.from(x), Float64Array.from(gout), g, want);
    assert.equal(got[2], Infinity);
    for (const k of [0, 1]) {
      assert.ok(
        Math.abs(got[k] - want[k]) <= 1e-5 * Math.abs(want[k]),
        `tap ${k}: ${got[k]}, reference ${want[k]}`,
      );
    }
  });

  it('random geometries', () => {
    const random = seeded(99);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    for (let seed = 1000; seed < 1040; seed++) {
      const d = int(1, 3);
      const groups = [1, 1, 2, 3][int(0, 3)];
      const depthwise = random() < 0.3;
      const channels = depthwise ? groups * 1 : groups * int(1, 4);
      const outChannels = groups * int(1, 3);
      const kernel = Array.from({ length: d }, () => int(1, 3));
      const dilation = Array.from({ length: d }, () => int(1, 2));
      const padBefore = kernel.map((k, i) => int(0, dilation[i] * (k - 1)));
      const padAfter = kernel.map((k, i) => int(0, dilation[i] * (k - 1)));
      const inSize = kernel.map((k, i) =>
        int(Math.max(1, dilation[i] * (k - 1) + 1 - padBefore[i] - padAfter[i]), d === 3 ? 6 : 12),
      );
      const stride = Array.from({ length: d }, () => int(1, 3));
      checkAll(
        {
          batch: int(1, 3),
          channels,
          outChannels,
          groups,
          inSize,
          kernel,
          stride,
          dilation,
          padBefore,
          padAfter,
        },
        seed * 3,
      );
    }
  });
});
