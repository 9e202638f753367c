import type { BinaryOp, Strided, UnaryOp } from '../backend.js';
import type { TypedArray } from '../dtype.js';
import { roundHalfEven } from '../round.js';
import { erf } from './erf.js';
import { forEachRow } from './strided.js';

// One switch per element on a loop-invariant op: small and monomorphic, so the engine inlines
// it into the loops below (a table of closures would be a megamorphic call per element).

function unaryValue(op: UnaryOp, x: number): number {
  switch (op) {
    case 'copy':
      return x;
    case 'neg':
      return -x;
    case 'abs':
      return Math.abs(x);
    case 'sign':
      return Math.sign(x);
    case 'exp':
      return Math.exp(x);
    case 'expm1':
      return Math.expm1(x);
    case 'log':
      return Math.log(x);
    case 'log1p':
      return Math.log1p(x);
    case 'sqrt':
      return Math.sqrt(x);
    case 'reciprocal':
      return 1 / x;
    case 'sin':
      return Math.sin(x);
    case 'cos':
      return Math.cos(x);
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    case 'erf':
      return erf(x);
    case 'relu':
      return x > 0 ? x : x === x ? 0 : x;
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    case 'round':
      return roundHalfEven(x);
  }
}

function binaryValue(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'pow':
      return Math.pow(a, b);
    // NaN wins, as in torch.maximum/minimum.
    case 'maximum':
      return a !== a || b !== b ? NaN : a > b ? a : b;
    case 'minimum':
      return a !== a || b !== b ? NaN : a < b ? a : b;
    case 'eq':
      return a === b ? 1 : 0;
    case 'ne':
      return a !== b ? 1 : 0;
    case 'lt':
      return a < b ? 1 : 0;
    case 'le':
      return a <= b ? 1 : 0;
    case 'gt':
      return a > b ? 1 : 0;
    case 'ge':
      return a >= b ? 1 : 0;
    case 'gatePositive':
      return a > 0 ? b : 0;
  }
}

/** out[i] = op(x[i]). */
export function unary(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) out[i] = unaryValue(op, x[i]);
}

/** out = op(a, b) over shape, with broadcast strides. */
export function binary(
  op: BinaryOp,
  a: Strided,
  b: Strided,
  out: TypedArray,
  shape: readonly number[],
): void {
  const [ad, bd] = [a.data, b.data];
  let o = 0;
  forEachRow(shape, [a, b], ([ia, ib], length, [sa, sb]) => {
    for (let j = 0; j < length; j++, ia += sa, ib += sb) out[o++] = binaryValue(op, ad[ia], bd[ib]);
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
  const [cd, ad, bd] = [cond.data, a.data, b.data];
  let o = 0;
  forEachRow(shape, [cond, a, b], ([ic, ia, ib], length, [sc, sa, sb]) => {
    for (let j = 0; j < length; j++, ic += sc, ia += sa, ib += sb)
      out[o++] = cd[ic] ? ad[ia] : bd[ib];
  });
}

/** Contiguous copy of a strided view. */
export function copy(src: Strided, out: TypedArray, shape: readonly number[]): void {
  const data = src.data;
  let o = 0;
  forEachRow(shape, [src], ([i], length, [s]) => {
    for (let j = 0; j < length; j++, i += s) out[o++] = data[i];
  });
}
