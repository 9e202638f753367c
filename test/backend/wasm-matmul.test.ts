import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import { inWasmMemory, releaseCopy } from '../helpers/wasm-memory.js';
import type { MatmulArgs, MatmulOperand } from '../../src/backend/backend.js';
import type { TypedArray } from '../../src/backend/dtype.js';
import type { FusedActivation } from '../../src/backend/fused-activation.js';
import { matmul } from '../../src/backend/reference/matmul.js';
import { threadCount, wasmMatmul } from '../../src/backend/wasm/index.js';

/** The unit roundoff of float32. */
const U = 2 ** -24;

interface Case {
  batch?: number;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  accumulate?: boolean;
  /** Batch strides (default: dense) and offsets of a, b, out. */
  strideA?: number;
  strideB?: number;
  strideOut?: number;
  offset?: number;
  /** A bias per column of out, and an activation, applied after the product. */
  bias?: boolean;
  activation?: FusedActivation;
}

/**
 * Runs one product on the wasm kernel and on the reference kernel, from the same random operands
 * (with `offset` elements before each and sentinels in every gap), and checks each element.
 *
 * Tolerance: the wasm kernel sums each dot product in float32 in some order, so by the standard
 * bound (Higham, Accuracy and Stability, §3.1) its error is at most γ_{k+2}·Σ|a||b| (k products,
 * k additions, and the out value added when accumulating), γ_j ≈ j·u, with u = 2⁻²⁴. The
 * reference sums in float64 and rounds each stored result once (u·Σ|a||b| more). Where s batch
 * entries add into one out element, the bound is s times that. Σ|a||b| is computed per element by
 * running the reference on |a|, |b| and |out| in float64. A bias adds its |value| to the bound
 * and one rounding; the clamp of an activation never widens an error.
 */
function check(c: Case, seed: number): void {
  const { m, n, k } = c;
  const batch = c.batch ?? 1;
  const transA = c.transA ?? false;
  const transB = c.transB ?? false;
  const accumulate = c.accumulate ?? false;
  const offset = c.offset ?? 0;
  const sA = c.strideA ?? m * k;
  const sB = c.strideB ?? k * n;
  const sOut = c.strideOut ?? m * n;
  const random = seeded(seed);
  const span = (stride: number, size: number) => offset + (batch - 1) * stride + size;
  const fill = (length: number) => {
    const x = new Float32Array(length);
    for (let i = 0; i < length; i++) x[i] = 2 * random() - 1;
    return x;
  };
  const a = fill(span(sA, m * k));
  const b = fill(span(sB, k * n));
  const out0 = fill(span(sOut, m * n));
  const bias = c.bias ? fill(n) : undefined;
  const args = (x: TypedArray, y: TypedArray, out: TypedArray): MatmulArgs => {
    const operand = (data: TypedArray, batchStride: number): MatmulOperand => ({
      data,
      offset,
      batchStride,
    });
    return {
      batch,
      m,
      n,
      k,
      a: operand(x, sA),
      b: operand(y, sB),
      out: operand(out, sOut),
      transA,
      transB,
      accumulate,
      bias,
      activation: c.activation,
    };
  };
  const got = out0.slice();
  wasmMatmul(args(a, b, got));
  // The same product on operands already in wasm memory (no copies): bit for bit the same.
  const [ra, rb, rout, rbias] = [a, b, out0, bias ?? new Float32Array(0)].map(inWasmMemory);
  wasmMatmul({ ...args(ra, rb, rout), bias: bias && rbias });
  assert.deepEqual(rout, got, `${JSON.stringify(c)}: operands in wasm memory`);
  [ra, rb, rout, rbias].forEach(releaseCopy);
  const want = out0.slice();
  matmul(args(a, b, want));
  const abs = (x: Float32Array) => Float64Array.from(x, Math.abs);
  const bound = abs(out0);
  matmul({ ...args(abs(a), abs(b), bound), bias: bias && abs(bias), activation: undefined });

  // How many batch entries write each out element (gaps: none, overlaps: several).
  const writers = new Int32Array(out0.length);
  for (let i = 0; i < batch; i++) {
    for (let j = 0; j < m * n; j++) writers[offset + i * sOut + j]++;
  }
  const name = `${JSON.stringify(c)} seed ${seed}`;
  for (let i = 0; i < out0.length; i++) {
    if (writers[i] === 0) {
      assert.equal(got[i], out0[i], `${name}: element ${i} outside the output was changed`);
      continue;
    }
    const share = accumulate ? writers[i] : 1;
    const tolerance = (share * (k + 3) + 2) * U * bound[i];
    const error = Math.abs(got[i] - want[i]);
    if (!(error <= tolerance)) {
      assert.fail(
        `${name}: out[${i}] = ${got[i]}, reference ${want[i]}, |Δ| ${error} > ${tolerance}`,
      );
    }
  }
}

const transposes = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe(`wasmMatmul on ${threadCount()} threads against the reference kernel`, () => {
  it('1×1×1, in every transpose', () => {
    for (const [transA, transB] of transposes) check({ m: 1, n: 1, k: 1, transA, transB }, 1);
  });

  it('every m, n, k in 1..17 (every tile remainder), transposes in turn', () => {
    let seed = 0;
    for (let m = 1; m <= 17; m++) {
      for (let n = 1; n <= 17; n++) {
        for (let k = 1; k <= 17; k++) {
          const [transA, transB] = transposes[(m + n + k) % 4];
          check({ m, n, k, transA, transB }, seed++);
        }
      }
    }
  });

  it('primes, 64³ and sizes across the blocks (k > 256, m > 96, n > 1024), every transpose', () => {
    const shapes = [
      [64, 64, 64],
      [31, 37, 41],
      [97, 101, 257],
      [193, 23, 513],
      [7, 1031, 5],
      [1, 300, 1],
      [300, 1, 2],
      [1, 1, 600],
    ];
    let seed = 100;
    for (const [m, n, k] of shapes) {
      for (const [transA, transB] of transposes) check({ m, n, k, transA, transB }, seed++);
    }
  });

  it('accumulates into out', () => {
    let seed = 200;
    for (const [transA, transB] of transposes) {
      check({ m: 13, n: 19, k: 300, transA, transB, accumulate: true }, seed++);
      check({ m: 4, n: 8, k: 1, transA, transB, accumulate: true }, seed++);
    }
  });

  it('batches: dense, broadcast a or b (stride 0), offsets and gaps', () => {
    let seed = 300;
    for (const [transA, transB] of transposes) {
      const t = { transA, transB };
      check({ batch: 3, m: 5, n: 11, k: 7, ...t }, seed++);
      check({ batch: 4, m: 9, n: 6, k: 10, strideA: 0, ...t }, seed++);
      check({ batch: 4, m: 9, n: 6, k: 10, strideB: 0, ...t }, seed++);
      check({ batch: 2, m: 3, n: 17, k: 2, strideA: 0, strideB: 0, ...t }, seed++);
      check(
        { batch: 3, m: 6, n: 9, k: 5, strideA: 37, strideB: 50, strideOut: 61, offset: 3, ...t },
        seed++,
      );
      check({ batch: 3, m: 5, n: 4, k: 3, accumulate: true, offset: 1, ...t }, seed++);
    }
  });

  it('batches sharing one out: summed when accumulating, the last one otherwise', () => {
    let seed = 400;
    for (const [transA, transB] of transposes) {
      const t = { transA, transB };
      check({ batch: 5, m: 7, n: 9, k: 11, strideOut: 0, accumulate: true, ...t }, seed++);
      check({ batch: 5, m: 7, n: 9, k: 11, strideOut: 0, ...t }, seed++);
      check({ batch: 3, m: 4, n: 8, k: 3, strideB: 0, strideOut: 0, ...t }, seed++);
      // Overlapping outputs (stride < m·n), accumulated in batch order as the reference does.
      check({ batch: 3, m: 4, n: 5, k: 6, strideOut: 7, accumulate: true, ...t }, seed++);
      check({ batch: 3, m: 4, n: 5, k: 6, strideOut: 7, ...t }, seed++);
    }
  });

  it('adds the bias per column and clamps as each band is finished, in every split', () => {
    let seed = 450;
    const activations = [undefined, 'relu', 'relu6'] as const;
    const shapes = [
      { m: 1, n: 1, k: 1 },
      { m: 5, n: 13, k: 7 },
      // Big enough to split: by columns (n ≥ m), by rows, by batch entries, one taller product.
      { m: 97, n: 101, k: 300 },
      { m: 193, n: 23, k: 513 },
      { batch: 4, m: 40, n: 50, k: 300 },
      { batch: 3, m: 64, n: 30, k: 300, strideB: 0 },
    ];
    for (const shape of shapes) {
      for (const activation of activations) {
        const [transA, transB] = transposes[seed % 4];
        check({ ...shape, transA, transB, bias: true, activation }, seed++);
        check({ ...shape, transA, transB, activation: activation ?? 'relu' }, seed++);
      }
    }
  });

  it('random shapes', () => {
    const random = seeded(7);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    for (let seed = 500; seed < 540; seed++) {
      const [transA, transB] = transposes[int(0, 3)];
      check(
        {
          batch: int(1, 3),
          m: int(1, 70),
          n: int(1, 70),
          k: int(1, 300),
          strideA: random() < 0.25 ? 0 : undefined,
          strideB: random() < 0.25 ? 0 : undefined,
          accumulate: random() < 0.5,
          transA,
          transB,
        },
        seed,
      );
    }
  });
});

describe('wasmMatmul edge cases', () => {
  const operand = (data: TypedArray): MatmulOperand => ({ data, offset: 0, batchStride: 0 });
  const product = (
    a: TypedArray,
    b: TypedArray,
    out: TypedArray,
    shape: { batch?: number; m: number; n: number; k: number },
    accumulate = false,
  ): MatmulArgs => ({
    batch: shape.batch ?? 1,
    m: shape.m,
    n: shape.n,
    k: shape.k,
    a: operand(a),
    b: operand(b),
    out: operand(out),
    transA: false,
    transB: false,
    accumulate,
  });

  it('k = 0 writes zeros, or leaves out as it is when accumulating', () => {
    const out = new Float32Array([1, 2, 3, 4, 5, 6]);
    wasmMatmul(product(new Float32Array(0), new Float32Array(0), out, { m: 2, n: 3, k: 0 }, true));
    assert.deepEqual([...out], [1, 2, 3, 4, 5, 6]);
    wasmMatmul(product(new Float32Array(0), new Float32Array(0), out, { m: 2, n: 3, k: 0 }));
    assert.deepEqual([...out], [0, 0, 0, 0, 0, 0]);
  });

  it('m = 0, n = 0 or batch = 0 writes nothing', () => {
    const out = new Float32Array([7]);
    const x = new Float32Array([1, 2]);
    wasmMatmul(product(x, x, out, { m: 0, n: 1, k: 2 }));
    wasmMatmul(product(x, x, out, { m: 1, n: 0, k: 2 }));
    wasmMatmul(product(x, x, out, { batch: 0, m: 1, n: 1, k: 2 }));
    assert.deepEqual([...out], [7]);
  });

  it('the documented example', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const out = new Float32Array(4);
    wasmMatmul(product(a, a, out, { m: 2, n: 2, k: 2 }));
    assert.deepEqual([...out], [7, 10, 15, 22]);
  });

  it('float64 and int32 take the reference kernel, bit for bit', () => {
    const random = seeded(9);
    const a = Float64Array.from({ length: 15 }, () => random() - 0.5);
    const b = Float64Array.from({ length: 20 }, () => random() - 0.5);
    const [got, want] = [new Float64Array(12), new Float64Array(12)];
    wasmMatmul(product(a, b, got, { m: 3, n: 4, k: 5 }));
    matmul(product(a, b, want, { m: 3, n: 4, k: 5 }));
    assert.deepEqual(got, want);
    const ints = Int32Array.from([1, 2, 3, 4]);
    const out = new Int32Array(4);
    wasmMatmul(product(ints, ints, out, { m: 2, n: 2, k: 2 }));
    assert.deepEqual([...out], [7, 10, 15, 22]);
  });

  it('grows its memory for a large product and stays right for small ones after', () => {
    check({ m: 700, n: 600, k: 650, transB: true }, 600);
    check({ m: 2, n: 3, k: 4 }, 601);
  });
});
