// Elementwise ops over strided operands, the kernel interface's `unary`, `binary`, `where` and
// `copy` on f32 (comparisons write u8, `where` reads a u8 condition). The caller merges
// contiguous dims first, so most ops arrive as a few long rows whose operands step by 1 (a plain
// array) or 0 (a broadcast value): those rows run four lanes at a time, any other row one
// element at a time. Threads take whole rows, or pieces of rows when there are fewer rows than
// threads.
import { arg, ptr, shareStart } from './job';

/** Most dims an elementwise job takes (after merging). */
export const MAX_DIMS = 6;

// Job words: kind, op, dims count, the dims (MAX_DIMS), out, then per input: address and strides.
const OP = 1;
const NDIM = 2;
const DIMS = 3;
const OUT = DIMS + MAX_DIMS;
const INPUTS = OUT + 1;
const INPUT_WORDS = 1 + MAX_DIMS;

// Ops: one input, two inputs with an f32 result, comparisons (a u8 result), where.
const COPY = 0;
const NEG = 1;
const ABS = 2;
const RELU = 3;
const SQRT = 4;
const RECIPROCAL = 5;
const FLOOR = 6;
const CEIL = 7;
const ROUND = 8;
const ADD = 10;
const SUB = 11;
const MUL = 12;
const DIV = 13;
const MAXIMUM = 14;
const MINIMUM = 15;
const GATE_POSITIVE = 16;
const EQ = 20;
const NE = 21;
const LT = 22;
const LE = 23;
const GT = 24;
const GE = 25;
const WHERE = 30;

function unary4(op: i32, x: v128): v128 {
  switch (op) {
    case NEG:
      return f32x4.neg(x);
    case ABS:
      return f32x4.abs(x);
    // max(x, 0) keeps NaN, as the reference relu does.
    case RELU:
      return v128.bitselect(x, f32x4.max(x, f32x4.splat(0)), f32x4.ne(x, x));
    case SQRT:
      return f32x4.sqrt(x);
    case RECIPROCAL:
      return f32x4.div(f32x4.splat(1), x);
    case FLOOR:
      return f32x4.floor(x);
    case CEIL:
      return f32x4.ceil(x);
    case ROUND:
      return f32x4.nearest(x);
    case COPY:
    default:
      return x;
  }
}

function binary4(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD:
      return f32x4.add(a, b);
    case SUB:
      return f32x4.sub(a, b);
    case MUL:
      return f32x4.mul(a, b);
    case DIV:
      return f32x4.div(a, b);
    case MAXIMUM:
      return pick(a, b, f32x4.gt(a, b));
    case GATE_POSITIVE:
      return v128.and(b, f32x4.gt(a, f32x4.splat(0)));
    case MINIMUM:
    default:
      return pick(a, b, f32x4.lt(a, b));
  }
}

/**
 * a where `first` is set, else b, and NaN where either is NaN: torch.maximum/minimum, with ties
 * (0 and −0) going to b as in the reference kernel (wasm's own min/max order the zeros).
 */
function pick(a: v128, b: v128, first: v128): v128 {
  const nan = v128.or(f32x4.ne(a, a), f32x4.ne(b, b));
  return v128.bitselect(f32x4.splat(NaN), v128.bitselect(a, b, first), nan);
}

function compare(op: i32, a: f32, b: f32): u8 {
  switch (op) {
    case EQ:
      return <u8>(a == b);
    case NE:
      return <u8>(a != b);
    case LT:
      return <u8>(a < b);
    case LE:
      return <u8>(a <= b);
    case GT:
      return <u8>(a > b);
    default:
      return <u8>(a >= b);
  }
}

/** One row of `length` elements; strides in elements. */
function row(
  op: i32,
  length: i32,
  out: usize,
  a: usize,
  sa: i32,
  b: usize,
  sb: i32,
  c: usize,
  sc: i32,
): void {
  if (op >= EQ && op <= GE) {
    for (let i = 0; i < length; i++) {
      const x = load<f32>(a + ((<usize>(i * sa)) << 2));
      const y = load<f32>(b + ((<usize>(i * sb)) << 2));
      store<u8>(out + <usize>i, compare(op, x, y));
    }
    return;
  }
  if (op == WHERE) {
    for (let i = 0; i < length; i++) {
      const pick = load<u8>(a + <usize>(i * sa)) != 0;
      const from = pick ? b + ((<usize>(i * sb)) << 2) : c + ((<usize>(i * sc)) << 2);
      store<f32>(out + ((<usize>i) << 2), load<f32>(from));
    }
    return;
  }
  let i = 0;
  if (op < ADD) {
    if (sa == 1) {
      for (; i + 4 <= length; i += 4) {
        const at = (<usize>i) << 2;
        v128.store(out + at, unary4(op, v128.load(a + at)));
      }
    }
    for (; i < length; i++) {
      const x = f32x4.splat(load<f32>(a + ((<usize>(i * sa)) << 2)));
      store<f32>(out + ((<usize>i) << 2), f32x4.extract_lane(unary4(op, x), 0));
    }
    return;
  }
  if ((sa == 1 || sa == 0) && (sb == 1 || sb == 0)) {
    const va = f32x4.splat(load<f32>(a));
    const vb = f32x4.splat(load<f32>(b));
    for (; i + 4 <= length; i += 4) {
      const at = (<usize>i) << 2;
      const x = sa == 1 ? v128.load(a + at) : va;
      const y = sb == 1 ? v128.load(b + at) : vb;
      v128.store(out + at, binary4(op, x, y));
    }
  }
  for (; i < length; i++) {
    const x = f32x4.splat(load<f32>(a + ((<usize>(i * sa)) << 2)));
    const y = f32x4.splat(load<f32>(b + ((<usize>(i * sb)) << 2)));
    store<f32>(out + ((<usize>i) << 2), f32x4.extract_lane(binary4(op, x, y), 0));
  }
}

/** Bytes per element of input `k` of `op` (a u8 condition for where's first). */
function inputBytes(op: i32, k: i32): usize {
  return op == WHERE && k == 0 ? 1 : 4;
}

/** Runs this thread's share of an elementwise job: whole rows, or pieces of rows when fewer rows than threads. */
export function elementwise_job(job: usize, thread: i32, threads: i32): void {
  const op = arg(job, OP);
  const nd = arg(job, NDIM);
  const length = arg(job, DIMS + nd - 1);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= arg(job, DIMS + d);
  // A contiguous op is one long row: cut it so that every thread has a piece.
  const pieces = rows >= threads ? 1 : (threads + rows - 1) / rows;
  const first = shareStart(rows * pieces, threads, thread, 1);
  const last = shareStart(rows * pieces, threads, thread + 1, 1);
  const outBytes: usize = op >= EQ && op <= GE ? 1 : 4;
  const inputs = op == WHERE ? 3 : op >= ADD ? 2 : 1;
  for (let item = first; item < last; item++) {
    // Whole rows (the usual case, and many short rows): no divisions per row.
    const whole = pieces == 1;
    const r = whole ? item : item / pieces;
    const c0 = whole ? 0 : shareStart(length, pieces, item % pieces, 16);
    const c1 = whole ? length : shareStart(length, pieces, (item % pieces) + 1, 16);
    if (c0 >= c1) continue;
    // The row's start in each input: its outer index, dim by dim from the last outer one.
    let p0 = ptr(job, INPUTS);
    let p1 = inputs > 1 ? ptr(job, INPUTS + INPUT_WORDS) : 0;
    let p2 = inputs > 2 ? ptr(job, INPUTS + 2 * INPUT_WORDS) : 0;
    let rest = r;
    for (let d = nd - 2; d >= 0; d--) {
      const size = arg(job, DIMS + d);
      const index = rest % size;
      rest /= size;
      p0 += <usize>(index * arg(job, INPUTS + 1 + d)) * inputBytes(op, 0);
      if (inputs > 1) p1 += (<usize>(index * arg(job, INPUTS + INPUT_WORDS + 1 + d))) << 2;
      if (inputs > 2) p2 += (<usize>(index * arg(job, INPUTS + 2 * INPUT_WORDS + 1 + d))) << 2;
    }
    const s0 = arg(job, INPUTS + nd);
    const s1 = inputs > 1 ? arg(job, INPUTS + INPUT_WORDS + nd) : 0;
    const s2 = inputs > 2 ? arg(job, INPUTS + 2 * INPUT_WORDS + nd) : 0;
    row(
      op,
      c1 - c0,
      ptr(job, OUT) + (<usize>r * <usize>length + <usize>c0) * outBytes,
      p0 + <usize>(c0 * s0) * inputBytes(op, 0),
      s0,
      p1 + ((<usize>(c0 * s1)) << 2),
      s1,
      p2 + ((<usize>(c0 * s2)) << 2),
      s2,
    );
  }
}
