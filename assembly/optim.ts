// The optimizers' per-element updates on f32, four lanes at a time: the kernel interface's
// adamUpdate, sgdUpdate, rmspropUpdate and adagradUpdate (see src/backend/backend.ts for the
// rules). Each product and sum is rounded to f32, in the reference kernel's order, so results
// differ from the reference (f64, rounded on store) only in the last bits. Threads take
// near-equal runs of whole vectors; the last vector of a job may run past the end into the
// operands' padding (every operand starts on a 64-byte boundary, src/backend/wasm/operands.ts),
// which is never copied back, so no element is done one lane at a time.
import { arg, f32Arg, ptr, shareStart } from './job';

// Every update's job words: kind, count, maximize, then the parameter and gradient addresses.
// Then per kind, buffers (address 0: absent), flags, and f32 scalars (JS resolves 1 − β etc.):
// adam:    m, v, vMax; β1, 1 − β1, β2, 1 − β2, eps, weightDecay, shrink, stepSize, bias2Sqrt
// sgd:     b; nesterov, firstStep; lr, momentum, 1 − dampening, weightDecay
// rmsprop: s, ḡ, b; lr, α, 1 − α, eps, weightDecay, momentum
// adagrad: s; lr, eps, weightDecay
const COUNT = 1;
const MAXIMIZE = 2;
const PARAM = 3;
const GRAD = 4;
const REST = 5;

/** Job word `i` as an f32, in every lane. */
function scalar(job: usize, i: i32): v128 {
  return f32x4.splat(f32Arg(job, i));
}

/** Byte offset of this thread's first vector. */
function shareFrom(job: usize, thread: i32, threads: i32): usize {
  return (<usize>shareStart(arg(job, COUNT), threads, thread, 4)) << 2;
}

/** Byte offset just past this thread's last vector (rounded up to a whole vector). */
function shareTo(job: usize, thread: i32, threads: i32): usize {
  return (<usize>((shareStart(arg(job, COUNT), threads, thread + 1, 4) + 3) & ~3)) << 2;
}

/** −0 in every lane when maximizing, else +0: what `decayed` flips the gradient's sign with. */
function signOf(job: usize): v128 {
  return f32x4.splat(arg(job, MAXIMIZE) != 0 ? -0.0 : 0.0);
}

/** Whether job word `i`, an f32, is nonzero. */
function nonzero(job: usize, i: i32): bool {
  return load<f32>(job + ((<usize>i) << 2)) != 0;
}

/**
 * d for gradient g and parameter p: g with its sign flipped by `sign` (exact, as the reference's
 * negation), plus decay·p when `decays` (skipped at 0, where 0·∞ would make NaN).
 */
function decayed(g: v128, p: v128, sign: v128, decay: v128, decays: bool): v128 {
  const d = v128.xor(g, sign);
  return decays ? f32x4.add(d, f32x4.mul(decay, p)) : d;
}

/** Runs this thread's share of an Adam (AdamW, AMSGrad) update. */
export function adam_job(job: usize, thread: i32, threads: i32): void {
  const p = ptr(job, PARAM);
  const g = ptr(job, GRAD);
  const m = ptr(job, REST);
  const v = ptr(job, REST + 1);
  const vMax = ptr(job, REST + 2);
  const beta1 = scalar(job, REST + 3);
  const oneMinusBeta1 = scalar(job, REST + 4);
  const beta2 = scalar(job, REST + 5);
  const oneMinusBeta2 = scalar(job, REST + 6);
  const eps = scalar(job, REST + 7);
  const decay = scalar(job, REST + 8);
  const decays = nonzero(job, REST + 8);
  const shrink = scalar(job, REST + 9);
  const stepSize = scalar(job, REST + 10);
  const bias2Sqrt = scalar(job, REST + 11);
  const sign = signOf(job);
  const end = shareTo(job, thread, threads);
  for (let at = shareFrom(job, thread, threads); at < end; at += 16) {
    const pi = v128.load(p + at);
    const d = decayed(v128.load(g + at), pi, sign, decay, decays);
    const mi = f32x4.add(f32x4.mul(beta1, v128.load(m + at)), f32x4.mul(oneMinusBeta1, d));
    // (1 − β2)·d·d in this order, as the reference: d² alone would overflow sooner.
    let vi = f32x4.add(
      f32x4.mul(beta2, v128.load(v + at)),
      f32x4.mul(f32x4.mul(oneMinusBeta2, d), d),
    );
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    if (vMax != 0) {
      vi = f32x4.max(v128.load(vMax + at), vi);
      v128.store(vMax + at, vi);
    }
    const denominator = f32x4.add(f32x4.div(f32x4.sqrt(vi), bias2Sqrt), eps);
    const step = f32x4.div(f32x4.mul(stepSize, mi), denominator);
    v128.store(p + at, f32x4.sub(f32x4.mul(pi, shrink), step));
  }
}

/** Runs this thread's share of an SGD update. */
export function sgd_job(job: usize, thread: i32, threads: i32): void {
  const p = ptr(job, PARAM);
  const g = ptr(job, GRAD);
  const b = ptr(job, REST);
  const nesterov = arg(job, REST + 1) != 0;
  const firstStep = arg(job, REST + 2) != 0;
  const lr = scalar(job, REST + 3);
  const momentum = scalar(job, REST + 4);
  const undamped = scalar(job, REST + 5);
  const decay = scalar(job, REST + 6);
  const decays = nonzero(job, REST + 6);
  const sign = signOf(job);
  const end = shareTo(job, thread, threads);
  for (let at = shareFrom(job, thread, threads); at < end; at += 16) {
    const pi = v128.load(p + at);
    let d = decayed(v128.load(g + at), pi, sign, decay, decays);
    if (b != 0) {
      const bi = firstStep
        ? d
        : f32x4.add(f32x4.mul(momentum, v128.load(b + at)), f32x4.mul(undamped, d));
      v128.store(b + at, bi);
      d = nesterov ? f32x4.add(d, f32x4.mul(momentum, bi)) : bi;
    }
    v128.store(p + at, f32x4.sub(pi, f32x4.mul(lr, d)));
  }
}

/** Runs this thread's share of an RMSprop update. */
export function rmsprop_job(job: usize, thread: i32, threads: i32): void {
  const p = ptr(job, PARAM);
  const g = ptr(job, GRAD);
  const s = ptr(job, REST);
  const mean = ptr(job, REST + 1);
  const b = ptr(job, REST + 2);
  const lr = scalar(job, REST + 3);
  const alpha = scalar(job, REST + 4);
  const oneMinusAlpha = scalar(job, REST + 5);
  const eps = scalar(job, REST + 6);
  const decay = scalar(job, REST + 7);
  const decays = nonzero(job, REST + 7);
  const momentum = scalar(job, REST + 8);
  const sign = signOf(job);
  const end = shareTo(job, thread, threads);
  for (let at = shareFrom(job, thread, threads); at < end; at += 16) {
    const pi = v128.load(p + at);
    const d = decayed(v128.load(g + at), pi, sign, decay, decays);
    const si = f32x4.add(
      f32x4.mul(alpha, v128.load(s + at)),
      f32x4.mul(f32x4.mul(oneMinusAlpha, d), d),
    );
    v128.store(s + at, si);
    let variance = si;
    if (mean != 0) {
      const mi = f32x4.add(f32x4.mul(alpha, v128.load(mean + at)), f32x4.mul(oneMinusAlpha, d));
      v128.store(mean + at, mi);
      variance = f32x4.sub(si, f32x4.mul(mi, mi));
    }
    const denominator = f32x4.add(f32x4.sqrt(variance), eps);
    let step: v128;
    if (b != 0) {
      const bi = f32x4.add(f32x4.mul(momentum, v128.load(b + at)), f32x4.div(d, denominator));
      v128.store(b + at, bi);
      step = f32x4.mul(lr, bi);
    } else {
      step = f32x4.div(f32x4.mul(lr, d), denominator);
    }
    v128.store(p + at, f32x4.sub(pi, step));
  }
}

/** Runs this thread's share of an Adagrad update. */
export function adagrad_job(job: usize, thread: i32, threads: i32): void {
  const p = ptr(job, PARAM);
  const g = ptr(job, GRAD);
  const s = ptr(job, REST);
  const lr = scalar(job, REST + 1);
  const eps = scalar(job, REST + 2);
  const decay = scalar(job, REST + 3);
  const decays = nonzero(job, REST + 3);
  const sign = signOf(job);
  const end = shareTo(job, thread, threads);
  for (let at = shareFrom(job, thread, threads); at < end; at += 16) {
    const pi = v128.load(p + at);
    const d = decayed(v128.load(g + at), pi, sign, decay, decays);
    const si = f32x4.add(v128.load(s + at), f32x4.mul(d, d));
    v128.store(s + at, si);
    const step = f32x4.div(f32x4.mul(lr, d), f32x4.add(f32x4.sqrt(si), eps));
    v128.store(p + at, f32x4.sub(pi, step));
  }
}
