/** Shared by the deployment tests: non-trivial batch-norm statistics, parameter counts, differences. */
import { randn, type Module, type Tensor } from '../../src/index.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../../src/nn/layers/norm.js';
import { Generator } from '../../src/tensor/random.js';

/**
 * Gives every batch norm running statistics and an affine transform far from the identity
 * (mean ≈ N(0, 0.5²), var in [0.5, 1.5], γ in [0.5, 1.5], β ≈ N(0, 0.2²)), as training would.
 */
export function randomizeNorms(model: Module, seed = 1): void {
  const generator = new Generator(seed);
  const noise = (n: number) => randn([n], { generator }).data;
  for (const [, m] of model.namedModules()) {
    if (!(m instanceof BatchNorm1d || m instanceof BatchNorm2d || m instanceof BatchNorm3d))
      continue;
    const n = m.numFeatures;
    const set = (t: Tensor | null, f: (v: number) => number) =>
      t?.data.set(Array.from(noise(n), f));
    set(m.running_mean, (v) => 0.5 * v);
    set(m.running_var, (v) => 1 + 0.5 * Math.tanh(v));
    set(m.weight, (v) => 1 + 0.5 * Math.tanh(v));
    set(m.bias, (v) => 0.2 * v);
  }
}

/** The number of parameter values of a model. */
export function parameterCount(model: Module): number {
  return model.parameters().reduce((s, p) => s + p.size, 0);
}

/** The largest |a − b| over two tensors of the same size. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  let most = 0;
  for (let i = 0; i < a.size; i++) most = Math.max(most, Math.abs(a.data[i] - b.data[i]));
  return most;
}

/** The largest |x| of a tensor. */
export function maxAbs(a: Tensor): number {
  let most = 0;
  for (const v of a.data) most = Math.max(most, Math.abs(v));
  return most;
}
