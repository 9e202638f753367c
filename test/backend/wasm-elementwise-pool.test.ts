import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import { inWasmMemory } from '../helpers/wasm-memory.js';
import type { BinaryOp, Strided, UnaryOp } from '../../src/backend/backend.js';
import * as reference from '../../src/backend/reference/elementwise.js';
import { wasmBinary, wasmCopy, wasmUnary, wasmWhere } from '../../src/backend/wasm/elementwise.js';
import { windowMax, windowSum, windowSumBackward } from '../../src/backend/reference/window.js';
import { scatterAdd } from '../../src/backend/reference/gather.js';
import { wasmScatterAdd } from '../../src/backend/wasm/scatter.js';
import {
  wasmWindowMax,
  wasmWindowSum,
  wasmWindowSumBackward,
} from '../../src/backend/wasm/window.js';

const count = (shape: readonly number[]) => shape.reduce((p, s) => p * s, 1);
const contiguous = (shape: readonly number[]) => shape.map((_, d) => count(shape.slice(d + 1)));

/** Values with the awkward ones mixed in: zeros of both signs, halves, NaN, infinities. */
function values(length: number, random: () => number): Float32Array {
  const special = [0, -0, 0.5, -0.5, 1.5, 2.5, NaN, Infinity, -Infinity];
  const array = Float32Array.from({ length }, () =>
    random() < 0.05 ? special[Math.floor(random() * special.length)] : (random() * 2 - 1) * 4,
  );
  // Half the operands sit in wasm memory already, as a scoped tensor's do (no copy in).
  return random() < 0.5 ? inWasmMemory(array) : array;
}

/**
 * A strided view of `shape` over fresh data: broadcast along dims where `broadcast` says (stride
 * 0), else contiguous, optionally read transposed (last two dims swapped) and from an offset.
 */
function operand(
  shape: readonly number[],
  broadcast: readonly boolean[],
  random: () => number,
  transposed = false,
): Strided {
  const own = shape.map((s, d) => (broadcast[d] ? 1 : s));
  const order =
    transposed && own.length >= 2 ? [...own.slice(0, -2), own.at(-1)!, own.at(-2)!] : own;
  const base = contiguous(order);
  const strides =
    transposed && own.length >= 2 ? [...base.slice(0, -2), base.at(-1)!, base.at(-2)!] : base;
  const offset = Math.floor(random() * 3);
  const data = values(offset + count(own), random);
  return { data, offset, strides: strides.map((s, d) => (broadcast[d] ? 0 : s)) };
}

/** Bitwise equality of two arrays, NaN equal to NaN. */
function same(got: ArrayLike<number>, want: ArrayLike<number>, name: string): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < got.length; i++) {
    if (Object.is(got[i], want[i])) continue;
    assert.fail(`${name}: [${i}] = ${got[i]}, reference ${want[i]}`);
  }
}

const shapes = [[70, 80], [3, 17, 9, 11], [5000], [2, 64, 7, 7], [4, 3, 5, 7, 11, 3]];

describe('wasm elementwise kernels against the reference, bit for bit', () => {
  it('every binary op, with broadcasts, transposes and offsets', () => {
    const ops: BinaryOp[] = [
      'add',
      'sub',
      'mul',
      'div',
      'maximum',
      'minimum',
      'gatePositive',
      'eq',
      'ne',
      'lt',
      'le',
      'gt',
      'ge',
    ];
    let seed = 0;
    for (const shape of shapes) {
      for (const op of ops) {
        const random = seeded(seed++);
        const flags = () => shape.map(() => random() < 0.3);
        const a = operand(shape, flags(), random, random() < 0.3);
        const b = operand(shape, flags(), random, random() < 0.3);
        const compares = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op);
        const make = () =>
          compares ? new Uint8Array(count(shape)) : new Float32Array(count(shape));
        const [got, want] = [random() < 0.5 ? inWasmMemory(make()) : make(), make()];
        wasmBinary(op, a, b, got, shape);
        reference.binary(op, a, b, want, shape);
        same(got, want, `${op} ${JSON.stringify(shape)} seed ${seed - 1}`);
      }
    }
  });

  it('unary ops', () => {
    const ops: UnaryOp[] = [
      'copy',
      'neg',
      'abs',
      'relu',
      'sqrt',
      'reciprocal',
      'floor',
      'ceil',
      'round',
      'exp',
    ];
    const random = seeded(50);
    for (const length of [4096, 4099, 10007]) {
      const x = values(length, random);
      for (const op of ops) {
        const [got, want] = [new Float32Array(length), new Float32Array(length)];
        wasmUnary(op, x, got);
        reference.unary(op, x, want);
        same(got, want, `${op} length ${length}`);
      }
    }
  });

  it('where and strided copies', () => {
    let seed = 100;
    for (const shape of shapes) {
      const random = seeded(seed++);
      const flags = () => shape.map(() => random() < 0.3);
      const cond = operand(shape, flags(), random);
      const bytes = Uint8Array.from(cond.data, (v) => (v > 0 ? 1 : 0));
      const c = { ...cond, data: bytes };
      const a = operand(shape, flags(), random, true);
      const b = operand(shape, flags(), random);
      const [got, want] = [new Float32Array(count(shape)), new Float32Array(count(shape))];
      wasmWhere(c, a, b, got, shape);
      reference.where(c, a, b, want, shape);
      same(got, want, `where ${JSON.stringify(shape)}`);
      wasmCopy(a, got, shape);
      reference.copy(a, want, shape);
      same(got, want, `copy ${JSON.stringify(shape)}`);
    }
  });

  it('ops big enough for every thread: one long row cut in pieces, and a few rows', () => {
    // From 128 Ki elements the threads share a job; a contiguous op is one row, cut among them.
    const big = [[300_007], [1, 1, 200_003], [3, 70_001]];
    let seed = 200;
    for (const shape of big) {
      const random = seeded(seed++);
      const size = count(shape);
      const x = operand(
        shape,
        shape.map(() => false),
        random,
      );
      const scalar = operand(
        shape,
        shape.map(() => true),
        random,
      );
      const run = (
        name: string,
        wasm: (out: Float32Array | Uint8Array) => void,
        ref: typeof wasm,
      ) => {
        const u8 = name === 'gt';
        const [got, want] = u8
          ? [new Uint8Array(size), new Uint8Array(size)]
          : [new Float32Array(size), new Float32Array(size)];
        wasm(got);
        ref(want);
        same(got, want, `${name} ${JSON.stringify(shape)}`);
      };
      run(
        'relu',
        (o) => wasmUnary('relu', x.data.subarray(x.offset), o),
        (o) => reference.unary('relu', x.data.subarray(x.offset), o),
      );
      for (const op of ['mul', 'gt'] as const) {
        run(
          op,
          (o) => wasmBinary(op, x, scalar, o, shape),
          (o) => reference.binary(op, x, scalar, o, shape),
        );
      }
      const cond = {
        data: Uint8Array.from(x.data, (v) => (v > 0 ? 1 : 0)),
        offset: x.offset,
        strides: x.strides,
      };
      run(
        'where',
        (o) => wasmWhere(cond, x, scalar, o, shape),
        (o) => reference.where(cond, x, scalar, o, shape),
      );
    }
  });
});

describe('wasm pooling windows against the reference, bit for bit', () => {
  /** Windows of `kernel` every `stride` from `start` (negative: padding) along one axis. */
  function axis(inSize: number, kernel: number, stride: number, pad: number, dilation = 1) {
    const outSize = Math.floor((inSize + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
    const start = new Int32Array(outSize);
    const countArr = new Int32Array(outSize);
    for (let o = 0; o < outSize; o++) {
      let first = o * stride - pad;
      let n = kernel;
      while (first < 0) {
        first += dilation;
        n--;
      }
      while (first + (n - 1) * dilation >= inSize) n--;
      start[o] = first;
      countArr[o] = Math.max(1, n);
    }
    return { inSize, outSize, start, count: countArr, step: dilation };
  }

  it('max (with argmax), sum and its adjoint over 1, 2 and 3 axes', () => {
    const random = seeded(7);
    const cases = [
      { planes: 64, axes: [axis(24, 2, 2, 0), axis(24, 2, 2, 0)] },
      { planes: 10, axes: [axis(17, 3, 2, 1), axis(19, 3, 1, 1, 2)] },
      { planes: 33, axes: [axis(300, 5, 3, 2)] },
      { planes: 4, axes: [axis(9, 2, 2, 0), axis(10, 3, 3, 1), axis(11, 2, 1, 0)] },
      // 2×2 stride 2 (the vector path): odd sizes, rows not a multiple of four outputs.
      { planes: 40, axes: [axis(11, 2, 2, 0), axis(15, 2, 2, 0)] },
      { planes: 300, axes: [axis(5, 2, 2, 0), axis(2, 2, 2, 0)] },
    ];
    // Ties everywhere (three values and NaN), for the first maximum in window order.
    const ties = (length: number) =>
      Float32Array.from({ length }, () => [0, 1, 2, NaN][Math.floor(random() * 3.2)]);
    for (const [i, g] of cases.entries()) {
      const inCount = count(g.axes.map((a) => a.inSize));
      const outCount = count(g.axes.map((a) => a.outSize));
      const x = i % 2 ? ties(g.planes * inCount) : values(g.planes * inCount, random);
      const [got, want] = [
        new Float32Array(g.planes * outCount),
        new Float32Array(g.planes * outCount),
      ];
      const [gotArg, wantArg] = [new Int32Array(got.length), new Int32Array(got.length)];
      wasmWindowMax(x, g, got, gotArg);
      windowMax(x, g, want, wantArg);
      same(got, want, 'windowMax');
      same(gotArg, wantArg, 'windowMax argmax');
      // Without an argmax (inference): the same maxima, on both backends.
      const [bare, bareRef] = [new Float32Array(got.length), new Float32Array(got.length)];
      wasmWindowMax(x, g, bare);
      windowMax(x, g, bareRef);
      same(bare, want, 'windowMax without argmax');
      same(bareRef, want, 'reference windowMax without argmax');
      wasmWindowSum(x, g, got);
      windowSum(x, g, want);
      same(got, want, 'windowSum');
      const [gin, wantGin] = [new Float32Array(x.length), new Float32Array(x.length)];
      wasmWindowSumBackward(want, g, gin);
      windowSumBackward(want, g, wantGin);
      same(gin, wantGin, 'windowSumBackward');
    }
  });
});

describe('wasm scatter-add against the reference, bit for bit', () => {
  it("max pooling's backward (inner 1) and gather's (inner > 1), adding into out", () => {
    const random = seeded(9);
    const cases = [
      { outer: 4096, size: 4, count: 1, inner: 1 }, // argmax of 2×2 windows, one per window
      { outer: 300, size: 9, count: 20, inner: 1 }, // overlapping windows: repeated indices
      { outer: 7, size: 5, count: 6, inner: 130 },
      { outer: 1, size: 3000, count: 5000, inner: 1 }, // one slice: the caller alone
    ];
    for (const [i, dims] of cases.entries()) {
      const { outer, size, count: n, inner } = dims;
      const src = values(outer * n * inner, random);
      const raw = Int32Array.from({ length: src.length }, () => Math.floor(random() * size));
      const index = i % 2 ? inWasmMemory(raw) : raw;
      const start = values(outer * size * inner, random); // out is added into
      const [got, want] = [i < 2 ? inWasmMemory(start.slice()) : start.slice(), start.slice()];
      wasmScatterAdd(src, index, dims, got);
      scatterAdd(src, index, dims, want);
      same(got, want, `scatterAdd ${JSON.stringify(dims)}`);
    }
  });
});
