import type { BinaryOp, Strided, UnaryOp } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { erf } from './erf.js';
import { forEachRow, innerStride } from './strided.js';

const unaryFns: Record<UnaryOp, (x: number) => number> = {
  copy: (x) => x,
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  erf,
  relu: (x) => (x > 0 ? x : x === x ? 0 : x),
  floor: Math.floor,
  ceil: Math.ceil,
  // Round half to even, as PyTorch does.
  round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
};

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // NaN wins, as in torch.maximum/minimum.
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
};

/** out[i] = op(x[i]). */
export function unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const f = unaryFns[op];
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

/** out = op(a, b) over shape, with broadcast strides. */
export function binary(
  op: BinaryOp,
  a: Strided,
  b: Strided,
  out: TypedArray,
  shape: readonly number[],
): void {
  const f = binaryFns[op];
  const sa = innerStride(a);
  const sb = innerStride(b);
  let o = 0;
  forEachRow(shape, [a, b], ([ia, ib], length) => {
    for (let j = 0; j < length; j++, ia += sa, ib += sb) out[o++] = f(a.data[ia], b.data[ib]);
  });
}

/** out = cond ? a : b over shape. */
export function where(
  cond: Strided,
  a: Strided,
  b: Strided,
  out: TypedArray,
  shape: readonly number[],
): void {
  const [sc, sa, sb] = [innerStride(cond), innerStride(a), innerStride(b)];
  let o = 0;
  forEachRow(shape, [cond, a, b], ([ic, ia, ib], length) => {
    for (let j = 0; j < length; j++, ic += sc, ia += sa, ib += sb) {
      out[o++] = cond.data[ic] ? a.data[ia] : b.data[ib];
    }
  });
}

/** Contiguous copy of a strided view. */
export function copy(src: Strided, out: TypedArray, shape: readonly number[]): void {
  const s = innerStride(src);
  let o = 0;
  forEachRow(shape, [src], ([i], length) => {
    for (let j = 0; j < length; j++, i += s) out[o++] = src.data[i];
  });
}
