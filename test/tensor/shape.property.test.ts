import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as F from '../../src/index.js';
import { FoveaError, tensor, type Tensor } from '../../src/index.js';
import { broadcastShapes, numel } from '../../src/tensor/shape.js';

// Property tests of the shape ops: each is compared with a naive, index-by-index model (or an
// inverse) on random shapes and data. Values are small integers in float64, so sums are exact.

const runs = { seed: 1234, numRuns: 200 };

// ─── Naive index arithmetic: the models below use only these ────────────────────────────────

/** The multi-index of flat position `flat` in a row-major array of `shape`. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return index;
}

/** The flat row-major position of a multi-index. */
function ravel(index: readonly number[], shape: readonly number[]): number {
  return index.reduce((flat, i, d) => flat * shape[d] + i, 0);
}

/** An array of `shape` whose entry at each multi-index is `value(index)`. */
function build(shape: readonly number[], value: (index: number[]) => number): number[] {
  return Array.from({ length: numel(shape) }, (_, flat) => value(unravel(flat, shape)));
}

const values = (t: Tensor) => Array.from(t.data);

/** Asserts that t has `shape` and, in row-major order, `expected` values. */
function assertTensor(t: Tensor, shape: readonly number[], expected: readonly number[]): void {
  assert.deepEqual(t.shape, shape);
  assert.deepEqual(values(t), expected);
}

// ─── Arbitraries ─────────────────────────────────────────────────────────────────────────────

/** Shapes of up to `maxRank` dims, each of size min..max (0 allowed by default). */
const shapeArb = (maxRank = 4, min = 0, max = 4) =>
  fc.array(fc.integer({ min, max }), { minLength: 0, maxLength: maxRank });

/** A float64 tensor of `shape` with small random integer values. */
const dataArb = (shape: readonly number[]) =>
  fc
    .array(fc.integer({ min: -9, max: 9 }), { minLength: numel(shape), maxLength: numel(shape) })
    .map((data) => tensor(Float64Array.from(data), { shape }));

/** A random tensor of a random shape. */
const tensorArb = (maxRank = 4, min = 0, max = 4) => shapeArb(maxRank, min, max).chain(dataArb);

/** A float64 tensor of `shape` holding 0, 1, 2, ...: every entry distinct, so misplaced reads show. */
const iota = (shape: readonly number[]) =>
  tensor(
    Float64Array.from({ length: numel(shape) }, (_, i) => i),
    { shape },
  );

/** An axis of a tensor of `ndim` dims, in either spelling (3 or 3 − ndim). */
const axisArb = (ndim: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: ndim - 1 }), fc.boolean())
    .map(([axis, negative]) => (negative ? axis - ndim : axis));

/** Two shapes that broadcast: drop leading dims of a common shape and set some dims to 1. */
const broadcastablePairArb = shapeArb(4, 0, 3).chain((base) => {
  const operand = fc
    .tuple(
      fc.integer({ min: 0, max: base.length }),
      fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
    )
    .map(([drop, ones]) => base.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
  return fc.tuple(operand, operand);
});

/** The result of broadcasting, defined directly: per aligned dim, the size both can expand to. */
function broadcastModel(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    const expandsTo = (from: number, to: number) => from === to || from === 1;
    const target = [da, db].find((t) => expandsTo(da, t) && expandsTo(db, t));
    if (target === undefined) return undefined;
    out.push(target);
  }
  return out;
}

/** x's values read as if expanded to `shape` (size-1 and missing leading dims repeat). */
function expandModel(x: Tensor, shape: readonly number[]): number[] {
  const lead = shape.length - x.ndim;
  return build(shape, (index) => {
    const source = x.shape.map((d, i) => (d === 1 ? 0 : index[i + lead]));
    return x.data[ravel(source, x.shape)];
  });
}

/** Python's `range(n)[start:end:step]` for a positive step (CPython's PySlice_AdjustIndices). */
function pythonSlice(n: number, start?: number, end?: number, step = 1): number[] {
  const adjust = (i: number | undefined, fallback: number) =>
    i === undefined ? fallback : i < 0 ? Math.max(i + n, 0) : Math.min(i, n);
  const picked: number[] = [];
  for (let i = adjust(start, 0); i < adjust(end, n); i += step) picked.push(i);
  return picked;
}

// ─── Properties ──────────────────────────────────────────────────────────────────────────────

describe('shape properties', () => {
  it('broadcastShapes is commutative and agrees with the definition', () => {
    const anyPair = fc.tuple(shapeArb(4, 0, 3), shapeArb(4, 0, 3));
    fc.assert(
      fc.property(fc.oneof(broadcastablePairArb, anyPair), ([a, b]) => {
        const expected = broadcastModel(a, b);
        if (expected === undefined) {
          assert.throws(() => broadcastShapes(a, b, 'test'), FoveaError);
          assert.throws(() => broadcastShapes(b, a, 'test'), FoveaError);
        } else {
          assert.deepEqual(broadcastShapes(a, b, 'test'), expected);
          assert.deepEqual(broadcastShapes(b, a, 'test'), expected);
        }
      }),
      runs,
    );
  });

  it('add and mul broadcast as if both operands were expanded first', () => {
    const operands = broadcastablePairArb.chain(([a, b]) => fc.tuple(dataArb(a), dataArb(b)));
    fc.assert(
      fc.property(operands, ([a, b]) => {
        const shape = broadcastModel(a.shape, b.shape)!;
        const [ea, eb] = [expandModel(a, shape), expandModel(b, shape)];
        assertTensor(F.expand(a, shape), shape, ea);
        assertTensor(F.expand(b, shape), shape, eb);
        assertTensor(
          F.add(a, b),
          shape,
          ea.map((v, i) => v + eb[i]),
        );
        assertTensor(
          F.mul(b, a),
          shape,
          ea.map((v, i) => v * eb[i]),
        );
      }),
      runs,
    );
  });

  it('reshape round-trips and is a view of the same storage', () => {
    // Two shapes of one size: the same factors, grouped differently and in another order.
    const shapes = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 5 })
      .chain((factors) =>
        fc.tuple(
          fc.constant(factors),
          fc.shuffledSubarray(factors, { minLength: factors.length }),
          fc.array(fc.boolean(), { minLength: factors.length, maxLength: factors.length }),
          fc.integer({ min: -1, max: 4 }),
        ),
      )
      .map(([factors, shuffled, merge, unknown]) => {
        const grouped: number[] = [];
        shuffled.forEach((f, i) => {
          if (merge[i] && grouped.length > 0) grouped[grouped.length - 1] *= f;
          else grouped.push(f);
        });
        // Sometimes let reshape infer one dim (−1).
        const target = grouped.map((d, i) => (i === unknown ? -1 : d));
        return { from: factors, to: grouped, target };
      });
    fc.assert(
      fc.property(shapes, fc.integer({ min: 0, max: 1000 }), ({ from, to, target }, pick) => {
        const x = iota(from);
        const y = F.reshape(x, target);
        assertTensor(y, to, values(x));
        assertTensor(F.reshape(y, from), from, values(x));
        const k = pick % x.size;
        y.data[k] = -1;
        assert.equal(
          x.data[k],
          -1,
          'a write through the reshaped tensor must show in the original',
        );
      }),
      runs,
    );
  });

  it('permute agrees with the index definition, and the inverse permutation undoes it', () => {
    const cases = shapeArb(5, 1, 3).chain((shape) => {
      const axes = shape.map((_, i) => i);
      return fc.tuple(
        fc.constant(shape),
        fc.shuffledSubarray(axes, { minLength: axes.length }),
        fc.array(fc.boolean(), { minLength: axes.length, maxLength: axes.length }),
      );
    });
    fc.assert(
      fc.property(cases, ([shape, dims, negative]) => {
        const x = iota(shape);
        const spelled = dims.map((d, i) => (negative[i] ? d - shape.length : d));
        const y = F.permute(x, spelled);
        const outShape = dims.map((d) => shape[d]);
        // out[i0, i1, ...] = x[j] where j[dims[k]] = i_k.
        const expected = build(outShape, (index) => {
          const source = new Array<number>(shape.length);
          dims.forEach((d, k) => (source[d] = index[k]));
          return x.data[ravel(source, shape)];
        });
        assertTensor(y, outShape, expected);
        const inverse = new Array<number>(dims.length);
        dims.forEach((d, k) => (inverse[d] = k));
        assertTensor(F.permute(y, inverse), shape, values(x));
      }),
      runs,
    );
  });

  it('transpose twice is the identity', () => {
    const cases = shapeArb(4, 1, 3).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        axisArb(Math.max(shape.length, 1)),
        axisArb(Math.max(shape.length, 1)),
      ),
    );
    fc.assert(
      fc.property(cases, ([shape, a, b]) => {
        const x = iota(shape);
        const once = F.transpose(x, a, b);
        const swapped = [...shape];
        if (shape.length > 0) {
          const [i, j] = [(a + shape.length) % shape.length, (b + shape.length) % shape.length];
          [swapped[i], swapped[j]] = [swapped[j], swapped[i]];
        }
        assert.deepEqual(once.shape, swapped);
        assertTensor(F.transpose(once, a, b), shape, values(x));
      }),
      runs,
    );
  });

  it('slice agrees with Python slicing on 1-D arrays', () => {
    const bound = fc.option(fc.integer({ min: -8, max: 8 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        bound,
        bound,
        fc.integer({ min: -3, max: 4 }),
        (n, start, end, step) => {
          const x = iota([n]);
          if (step <= 0) {
            assert.throws(() => F.slice(x, 0, start, end, step), /slice: step must be a positive/);
            return;
          }
          const picked = pythonSlice(n, start, end, step);
          assertTensor(F.slice(x, 0, start, end, step), [picked.length], picked);
        },
      ),
      runs,
    );
  });

  it('slice along any axis reads the picked entries of that axis', () => {
    const cases = shapeArb(4, 0, 4)
      .filter((shape) => shape.length > 0)
      .chain((shape) =>
        fc.tuple(
          fc.constant(shape),
          axisArb(shape.length),
          fc.integer({ min: -6, max: 6 }),
          fc.integer({ min: -6, max: 6 }),
          fc.integer({ min: 1, max: 3 }),
        ),
      );
    fc.assert(
      fc.property(cases, ([shape, dim, start, end, step]) => {
        const x = iota(shape);
        const axis = dim < 0 ? dim + shape.length : dim;
        const picked = pythonSlice(shape[axis], start, end, step);
        const outShape = shape.map((d, i) => (i === axis ? picked.length : d));
        const expected = build(outShape, (index) => {
          index[axis] = picked[index[axis]];
          return x.data[ravel(index, shape)];
        });
        assertTensor(F.slice(x, dim, start, end, step), outShape, expected);
      }),
      runs,
    );
  });

  it('concat then split returns the parts', () => {
    const cases = shapeArb(3, 0, 3)
      .filter((shape) => shape.length > 0)
      .chain((shape) =>
        fc.tuple(
          fc.constant(shape),
          axisArb(shape.length),
          fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
        ),
      )
      .chain(([shape, dim, sizes]) => {
        const axis = dim < 0 ? dim + shape.length : dim;
        const parts = sizes.map((s) => dataArb(shape.map((d, i) => (i === axis ? s : d))));
        return fc.tuple(fc.constant(dim), fc.constant(sizes), fc.tuple(...parts));
      });
    fc.assert(
      fc.property(cases, ([dim, sizes, parts]) => {
        const joined = F.concat(parts, dim);
        const pieces = F.split(joined, sizes, dim);
        assert.equal(pieces.length, parts.length);
        pieces.forEach((piece, i) => assertTensor(piece, parts[i].shape, values(parts[i])));
      }),
      runs,
    );
  });

  it('concat refuses 0-d tensors, as PyTorch does', () => {
    fc.assert(
      fc.property(fc.array(tensorArb(0), { minLength: 1, maxLength: 3 }), (scalars) => {
        assert.throws(() => F.concat(scalars), /concat: cannot concatenate 0-d tensors/);
      }),
      runs,
    );
  });

  it('split by a size gives pieces of that size (the last smaller) that concat back', () => {
    const cases = tensorArb(3, 0, 5)
      .filter((x) => x.ndim > 0)
      .chain((x) => fc.tuple(fc.constant(x), axisArb(x.ndim), fc.integer({ min: 1, max: 4 })));
    fc.assert(
      fc.property(cases, ([x, dim, size]) => {
        const axis = dim < 0 ? dim + x.ndim : dim;
        const n = x.shape[axis];
        const pieces = F.split(x, size, dim);
        const expectedSizes =
          n === 0 ? [0] : pythonSlice(n, 0, n, size).map((start) => Math.min(size, n - start));
        assert.deepEqual(
          pieces.map((p) => p.shape[axis]),
          expectedSizes,
        );
        assertTensor(F.concat(pieces, dim), x.shape, values(x));
      }),
      runs,
    );
  });

  it('unsqueeze then squeeze at the same dim is the identity; squeeze() drops every 1', () => {
    const cases = tensorArb(4, 0, 3).chain((x) =>
      fc.tuple(fc.constant(x), fc.integer({ min: -x.ndim - 1, max: x.ndim })),
    );
    fc.assert(
      fc.property(cases, ([x, dim]) => {
        const axis = dim < 0 ? dim + x.ndim + 1 : dim;
        const grown = F.unsqueeze(x, dim);
        assertTensor(grown, [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)], values(x));
        assertTensor(F.squeeze(grown, dim), x.shape, values(x));
        assertTensor(
          F.squeeze(grown),
          x.shape.filter((d) => d !== 1),
          values(x),
        );
      }),
      runs,
    );
  });

  it('sum over any set of axes equals a naive sum', () => {
    const cases = tensorArb(4, 0, 3).chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.option(
          fc.uniqueArray(fc.integer({ min: 0, max: Math.max(x.ndim - 1, 0) }), {
            minLength: 1,
            maxLength: Math.max(x.ndim, 1),
          }),
          { nil: undefined },
        ),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
      ),
    );
    fc.assert(
      fc.property(cases, ([x, picked, negative, keepdim]) => {
        if (x.ndim === 0 && picked !== undefined) return; // a 0-d tensor has no axis to name
        const axes = picked ?? x.shape.map((_, i) => i);
        const dims = picked?.map((a, i) => (negative[i] ? a - x.ndim : a));
        const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const expected = new Array<number>(numel(keptShape)).fill(0);
        for (let flat = 0; flat < x.size; flat++) {
          const index = unravel(flat, x.shape).map((i, d) => (axes.includes(d) ? 0 : i));
          expected[ravel(index, keptShape)] += x.data[flat];
        }
        const shape = keepdim ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
        assertTensor(F.sum(x, dims, keepdim), shape, expected);
      }),
      runs,
    );
  });

  it('sumTo(expand(x, s), x.shape) is x times the repeat count', () => {
    const cases = shapeArb(3, 1, 3).chain((shape) =>
      fc.tuple(
        dataArb(shape),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
        fc.array(fc.integer({ min: 1, max: 3 }), {
          minLength: shape.length,
          maxLength: shape.length,
        }),
      ),
    );
    fc.assert(
      fc.property(cases, ([x, lead, grow]) => {
        const target = [...lead, ...x.shape.map((d, i) => (d === 1 ? grow[i] : d))];
        const repeats = numel(target) / x.size;
        assertTensor(
          F.sumTo(F.expand(x, target), x.shape),
          x.shape,
          values(x).map((v) => v * repeats),
        );
      }),
      runs,
    );
  });

  it('expand refuses negative sizes (−1 only keeps an existing dim) with a FoveaError', () => {
    const cases = tensorArb(3, 1, 3).chain((x) =>
      fc.tuple(
        fc.constant(x),
        fc.integer({ min: -3, max: -1 }),
        fc.integer({ min: 0, max: x.ndim }),
      ),
    );
    fc.assert(
      fc.property(cases, ([x, bad, at]) => {
        // A new leading dim of size `bad` (even −1), or `bad` < −1 in place of an existing dim.
        const shape =
          at === x.ndim || bad === -1
            ? [bad, ...x.shape]
            : x.shape.map((d, i) => (i === at ? bad : d));
        assert.throws(() => F.expand(x, shape), FoveaError);
      }),
      runs,
    );
  });

  it('pad then the negated pad (a crop) returns the original, in every mode', () => {
    const modes = ['constant', 'reflect', 'replicate', 'circular'] as const;
    const cases = fc
      .tuple(
        fc.constantFrom(...modes),
        tensorArb(4, 1, 4).filter((x) => x.ndim > 0),
      )
      .chain(([mode, x]) => {
        // The largest pad each mode allows on a dim of size n.
        const limit = (n: number) => (mode === 'reflect' ? n - 1 : mode === 'circular' ? n : 4);
        const padded = x.shape.slice(-Math.min(3, x.ndim)).reverse();
        const amounts = padded.flatMap((n) => [
          fc.integer({ min: 0, max: limit(n) }),
          fc.integer({ min: 0, max: limit(n) }),
        ]);
        return fc.tuple(fc.constant(mode), fc.constant(x), fc.tuple(...amounts));
      });
    fc.assert(
      fc.property(cases, ([mode, x, amounts]) => {
        const grown = F.pad(x, amounts, { mode, value: 7 });
        const back = F.pad(
          grown,
          amounts.map((p) => -p),
          { mode },
        );
        assertTensor(back, x.shape, values(x));
      }),
      runs,
    );
  });
});
