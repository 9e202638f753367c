import assert from 'node:assert/strict';
import { noGrad } from '../../src/autograd/grad-mode.js';
import { Generator } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { mul, sum } from '../../src/ops/index.js';

/** Options of `gradcheck`. */
export interface GradcheckOptions {
  /** Central-difference step. */
  eps?: number;
  /** Allowed relative error. */
  rtol?: number;
  /** Absolute floor of the allowed error, for entries whose gradient is ~0. */
  atol?: number;
  /** Indices of inputs not to differentiate (labels, running statistics, ...). */
  skip?: readonly number[];
}

/**
 * Checks an op's backward against central finite differences in float64: with a random upstream
 * gradient w, the analytic d(Σ out·w)/d(input) must match (L(x+ε) − L(x−ε)) / 2ε for every
 * element of every differentiable input, within atol + rtol·|numeric|.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): void {
  const { eps = 1e-5, rtol = 1e-6, atol = 1e-8, skip = [] } = options;
  const checked = inputs.map((t, i) => !skip.includes(i) && t.dtype === 'float64');
  const leaves = inputs.map((t, i) => (checked[i] ? t.detach().requireGrad() : t));
  const out = fn(...leaves);
  assert.equal(out.dtype, 'float64', 'gradcheck needs a float64 output');
  const g = new Generator(1234);
  const w = new Tensor(
    Float64Array.from(out.data, () => g.normal()),
    out.shape,
    'float64',
  );
  const loss = (xs: readonly Tensor[]) => sum(mul(fn(...xs), w)).item();
  sum(mul(out, w)).backward();

  noGrad(() => {
    leaves.forEach((leaf, i) => {
      if (!checked[i]) return;
      assert.ok(leaf.grad, `input ${i} received no gradient`);
      const analytic = leaf.grad.data;
      for (let j = 0; j < leaf.size; j++) {
        const original = leaf.data[j];
        leaf.data[j] = original + eps;
        const plus = loss(leaves);
        leaf.data[j] = original - eps;
        const minus = loss(leaves);
        leaf.data[j] = original;
        const numeric = (plus - minus) / (2 * eps);
        const error = Math.abs(analytic[j] - numeric);
        assert.ok(
          error <= atol + rtol * Math.abs(numeric),
          `input ${i} element ${j}: analytic ${analytic[j]} vs numeric ${numeric} (error ${error.toExponential(2)})`,
        );
      }
    });
  });
}
