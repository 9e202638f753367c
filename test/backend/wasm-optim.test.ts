import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import type { Backend } from '../../src/backend/backend.js';
import type { TypedArray } from '../../src/backend/dtype.js';
import * as reference from '../../src/backend/reference/optim.js';
import {
  MIN_ELEMENTS,
  wasmAdagradUpdate,
  wasmAdamUpdate,
  wasmRmspropUpdate,
  wasmSgdUpdate,
} from '../../src/backend/wasm/optim.js';

type Kernels = Pick<Backend, 'adamUpdate' | 'sgdUpdate' | 'rmspropUpdate' | 'adagradUpdate'>;
const wasm: Kernels = {
  adamUpdate: wasmAdamUpdate,
  sgdUpdate: wasmSgdUpdate,
  rmspropUpdate: wasmRmspropUpdate,
  adagradUpdate: wasmAdagradUpdate,
};

// The tolerance. Per step, each element of each buffer is a short expression (Adam's p, the
// longest: d, the L2 term, m, v, √v, /bias2Sqrt, +eps, stepSize·m, /den, p·shrink, −) that the
// wasm kernel rounds to f32 after every operation, from scalars themselves rounded to f32 —
// about 12 roundings of at most 2⁻²⁴ relative to the terms combined — while the reference
// rounds once. The terms are bounded by the buffer's largest magnitude: parameters are in
// [−1, 1] and the states start as the optimizers start them (zeros), so |m| ≲ √v and the steps
// stay below lr·(1 − β1)/√(1 − β2) ≈ 0.3 (RMSprop's and SGD's with momentum ≲ 0.4). One step then
// differs by at most 16·2⁻²⁴ ≈ 1e-6 of that magnitude. The next step starts from the differing
// values and carries their difference with a factor ≤ 1 (β, α < 1 for the averages; 1 for the
// parameter), so after t steps the bound is t times that. Non-finite values must match exactly.
// Two premises keep the terms bounded. Random, unrelated m and v would break them: where
// |m| ≫ √v, β1·m + (1 − β1)·d cancels and f32's error in m, divided by a tiny √v, is no longer
// small next to the parameter. And d = g + weightDecay·p must not cancel: f32 forms it with an
// error of ~2⁻²⁴·|g| (as PyTorch's f32 kernels do), and where |d| is near eps, Adam and RMSprop
// scale d up to a step of ~lr — that difference is f32's, not the kernel's. So with weight decay
// the gradients take the sign of ±p (`gradSign`).
const PER_STEP = 16 * 2 ** -24;
const STEPS = 5;
/** Lengths with every remainder mod 4 below and above the wasm threshold, and one the threads share. */
const LENGTHS = [
  1,
  3,
  5,
  17,
  MIN_ELEMENTS,
  MIN_ELEMENTS + 1,
  MIN_ELEMENTS + 3,
  MIN_ELEMENTS + 5,
  MIN_ELEMENTS + 17,
  1000003,
];

/** How a buffer starts: values in [−1, 1), their magnitudes, zeros, or NaN (must not be read). */
type Start = 'signed' | 'positive' | 'zero' | 'unread';

/** One optimizer configuration: its buffers besides the parameter, and step t as a kernel call. */
interface Scenario {
  name: string;
  buffers: Record<string, Start | null>;
  /** With weight decay: each gradient takes the sign of gradSign·param, so d never cancels. */
  gradSign?: 1 | -1;
  step(kernels: Kernels, b: Record<string, TypedArray | null>, grad: TypedArray, t: number): void;
}

/** Every combination of the flags. */
function flags<K extends string>(...names: K[]): Record<K, boolean>[] {
  return Array.from({ length: 1 << names.length }, (_, bits) =>
    Object.fromEntries(names.map((n, i) => [n, ((bits >> i) & 1) === 1])),
  ) as Record<K, boolean>[];
}

/** The gradient sign that keeps d = (maximize ? −g : g) + weightDecay·p from cancelling. */
function signFor(weightDecay: number, maximize: boolean): 1 | -1 | undefined {
  if (weightDecay === 0) return undefined;
  return maximize ? -1 : 1;
}

const adam = flags('amsgrad', 'decoupled', 'decay', 'maximize').map(
  ({ amsgrad, decoupled, decay, maximize }): Scenario => {
    const [lr, beta1, beta2, eps, weightDecay] = [0.1, 0.9, 0.999, 1e-8, decay ? 0.1 : 0];
    return {
      name: `${decoupled ? 'AdamW' : 'Adam'} ${JSON.stringify({ amsgrad, weightDecay, maximize })}`,
      buffers: {
        expAvg: 'zero',
        expAvgSq: 'zero',
        maxExpAvgSq: amsgrad ? 'zero' : null,
      },
      gradSign: signFor(weightDecay, maximize),
      step: (k, b, grad, t) =>
        k.adamUpdate({
          param: b.param!,
          grad,
          expAvg: b.expAvg!,
          expAvgSq: b.expAvgSq!,
          maxExpAvgSq: b.maxExpAvgSq,
          beta1,
          beta2,
          eps,
          weightDecay: decoupled ? 0 : weightDecay,
          shrink: decoupled ? 1 - lr * weightDecay : 1,
          stepSize: lr / (1 - beta1 ** t),
          bias2Sqrt: Math.sqrt(1 - beta2 ** t),
          maximize,
        }),
    };
  },
);

const sgd = flags('momentum', 'dampening', 'nesterov', 'decay', 'maximize')
  .filter((f) => !f.nesterov || (f.momentum && !f.dampening))
  .filter((f) => f.momentum || !f.dampening)
  .map((f): Scenario => {
    const options = {
      momentum: f.momentum ? 0.9 : 0,
      dampening: f.dampening ? 0.3 : 0,
      nesterov: f.nesterov,
      weightDecay: f.decay ? 0.1 : 0,
      maximize: f.maximize,
    };
    return {
      name: `SGD ${JSON.stringify(options)}`,
      // Born on the first step: its contents then must not be read.
      buffers: { momentumBuffer: f.momentum ? 'unread' : null },
      gradSign: signFor(options.weightDecay, f.maximize),
      step: (k, b, grad, t) =>
        k.sgdUpdate({
          param: b.param!,
          grad,
          momentumBuffer: b.momentumBuffer,
          lr: 0.1,
          ...options,
          firstStep: t === 1,
        }),
    };
  });

const rmsprop = flags('centered', 'momentum', 'decay', 'maximize').map((f): Scenario => {
  const options = {
    lr: 0.01,
    alpha: 0.99,
    eps: 1e-8,
    momentum: f.momentum ? 0.9 : 0,
    weightDecay: f.decay ? 0.1 : 0,
    maximize: f.maximize,
  };
  return {
    name: `RMSprop ${JSON.stringify({ ...options, centered: f.centered })}`,
    // From zeros, ḡ² ≤ s (Cauchy–Schwarz): the centered variance stays positive.
    buffers: {
      squareAvg: 'zero',
      gradAvg: f.centered ? 'zero' : null,
      momentumBuffer: f.momentum ? 'zero' : null,
    },
    gradSign: signFor(options.weightDecay, f.maximize),
    step: (k, b, grad) =>
      k.rmspropUpdate({
        param: b.param!,
        grad,
        squareAvg: b.squareAvg!,
        gradAvg: b.gradAvg,
        momentumBuffer: b.momentumBuffer,
        ...options,
      }),
  };
});

const adagrad = flags('decay', 'maximize').map(({ decay, maximize }): Scenario => {
  const weightDecay = decay ? 0.1 : 0;
  return {
    name: `Adagrad ${JSON.stringify({ weightDecay, maximize })}`,
    // Any initial accumulator ≥ 0: the denominator stays ≥ |d|.
    buffers: { sum: 'positive' },
    gradSign: signFor(weightDecay, maximize),
    step: (k, b, grad, t) =>
      k.adagradUpdate({
        param: b.param!,
        grad,
        sum: b.sum!,
        lr: 0.1 / (1 + (t - 1) * 0.1),
        eps: 1e-10,
        weightDecay,
        maximize,
      }),
  };
});

/** Random values in [−1, 1) with exact zeros mixed in, taken from at windows of one pool. */
const POOL = 1 << 21;
const random = seeded(4);
const pool = Float32Array.from({ length: POOL }, () => (random() < 0.01 ? 0 : random() * 2 - 1));
let offset = 0;

/** `n` fresh values starting as `start` says. */
function take(n: number, start: Start): Float32Array {
  offset = (offset + 7919) % (POOL - n);
  const out = pool.slice(offset, offset + n);
  if (start === 'positive') return out.map(Math.abs);
  return start === 'signed' ? out : out.fill(start === 'zero' ? 0 : NaN);
}

/**
 * Passes when every element of `got` is within `steps`·PER_STEP of `want`'s largest finite
 * magnitude (or equal, `exact`), non-finite ones equal.
 */
function close(got: TypedArray, want: TypedArray, steps: number, exact: boolean, name: string) {
  let scale = 0;
  for (const w of want) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
  const bound = exact ? 0 : steps * PER_STEP * scale;
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isFinite(want[i])
      ? Math.abs(got[i] - want[i]) <= bound
      : Object.is(got[i], want[i]);
    if (!ok) assert.fail(`${name}: [${i}] = ${got[i]}, reference ${want[i]} (bound ${bound})`);
  }
}

/** Runs STEPS steps of `scenario` on both backends from the same data, comparing every buffer. */
function check(scenario: Scenario, n: number): void {
  const start: Record<string, Start | null> = { param: 'signed', ...scenario.buffers };
  const mine: Record<string, TypedArray | null> = {};
  const theirs: Record<string, TypedArray | null> = {};
  for (const [name, how] of Object.entries(start)) {
    mine[name] = how === null ? null : take(n, how);
    theirs[name] = mine[name] && mine[name].slice();
  }
  // Below the threshold the wasm backend runs the reference kernel itself.
  const exact = n < MIN_ELEMENTS;
  for (let t = 1; t <= STEPS; t++) {
    const grad = take(n, 'signed');
    const sign = scenario.gradSign;
    if (sign) grad.forEach((g, i) => (grad[i] = Math.abs(g) * sign * Math.sign(theirs.param![i])));
    if (n > 100) grad[(t * 101) % n] = [NaN, Infinity, -Infinity][t % 3];
    scenario.step(wasm, mine, grad, t);
    scenario.step(reference, theirs, grad, t);
    for (const name of Object.keys(start)) {
      if (mine[name] === null) continue;
      close(mine[name], theirs[name]!, t, exact, `${scenario.name} n=${n} step ${t} ${name}`);
    }
  }
}

describe('wasm optimizer updates against the reference, to float32 rounding', () => {
  for (const [kind, scenarios] of Object.entries({ adam, sgd, rmsprop, adagrad })) {
    it(`${kind}: every option, ${STEPS} steps, lengths ${LENGTHS.join(', ')}`, () => {
      for (const scenario of scenarios) for (const n of LENGTHS) check(scenario, n);
    });
  }

  it('float64 parameters take the reference kernel, bit for bit', () => {
    const n = MIN_ELEMENTS + 3;
    const make = () => [take(n, 'signed'), take(n, 'signed'), take(n, 'positive')];
    const [p, g, s] = make().map((a) => Float64Array.from(a));
    const [q, h, r] = [p, g, s].map((a) => a.slice());
    const args = { lr: 0.1, eps: 1e-10, weightDecay: 0, maximize: false };
    wasmAdagradUpdate({ param: p, grad: g, sum: s, ...args });
    reference.adagradUpdate({ param: q, grad: h, sum: r, ...args });
    assert.deepEqual([p, s], [q, r]);
  });
});
