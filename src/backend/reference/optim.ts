import type { AdagradUpdate, AdamUpdate, RMSpropUpdate, SGDUpdate } from '../backend.js';

// The optimizers' per-element rules, exactly torch.optim's: each element is computed in float64
// from the stored values and rounded once when stored (a buffer read after it is written reads
// the stored value), so a float32 step here matches PyTorch's to float32 rounding.

/**
 * One element of the gradient the update rules see: negated when maximizing, plus
 * weightDecay·p (PyTorch's L2 form, skipped when the decay is 0 as PyTorch does).
 */
function decayedGrad(g: number, p: number, maximize: boolean, weightDecay: number): number {
  const d = maximize ? -g : g;
  return weightDecay === 0 ? d : d + weightDecay * p;
}

/** The kernel interface's `adamUpdate`: Adam, AdamW and AMSGrad. */
export function adamUpdate(args: AdamUpdate): void {
  const { param: p, grad: g, expAvg: m, expAvgSq: v, maxExpAvgSq: vMax } = args;
  const { beta1, beta2, eps, weightDecay, shrink, stepSize, bias2Sqrt, maximize } = args;
  for (let i = 0; i < p.length; i++) {
    const gi = decayedGrad(g[i], p[i], maximize, weightDecay);
    m[i] = beta1 * m[i] + (1 - beta1) * gi;
    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
    if (vMax !== null) vMax[i] = Math.max(vMax[i], v[i]);
    const denominator = Math.sqrt(vMax !== null ? vMax[i] : v[i]) / bias2Sqrt + eps;
    p[i] = p[i] * shrink - (stepSize * m[i]) / denominator;
  }
}

/** The kernel interface's `sgdUpdate`: plain, momentum, dampened and Nesterov SGD. */
export function sgdUpdate(args: SGDUpdate): void {
  const { param: p, grad: g, momentumBuffer: buf, firstStep } = args;
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = args;
  for (let i = 0; i < p.length; i++) {
    let d = decayedGrad(g[i], p[i], maximize, weightDecay);
    if (buf !== null) {
      buf[i] = firstStep ? d : momentum * buf[i] + (1 - dampening) * d;
      d = nesterov ? d + momentum * buf[i] : buf[i];
    }
    p[i] -= lr * d;
  }
}

/** The kernel interface's `rmspropUpdate`: plain or centered, with or without momentum. */
export function rmspropUpdate(args: RMSpropUpdate): void {
  const { param: p, grad: g, squareAvg: s, gradAvg: mean, momentumBuffer: buf } = args;
  const { lr, alpha, eps, weightDecay, momentum, maximize } = args;
  for (let i = 0; i < p.length; i++) {
    const gi = decayedGrad(g[i], p[i], maximize, weightDecay);
    s[i] = alpha * s[i] + (1 - alpha) * gi * gi;
    let variance = s[i];
    if (mean !== null) {
      mean[i] = alpha * mean[i] + (1 - alpha) * gi;
      variance -= mean[i] * mean[i];
    }
    const denominator = Math.sqrt(variance) + eps;
    if (buf !== null) {
      buf[i] = momentum * buf[i] + gi / denominator;
      p[i] -= lr * buf[i];
    } else {
      p[i] -= (lr * gi) / denominator;
    }
  }
}

/** The kernel interface's `adagradUpdate`. */
export function adagradUpdate(args: AdagradUpdate): void {
  const { param: p, grad: g, sum: s, lr, eps, weightDecay, maximize } = args;
  for (let i = 0; i < p.length; i++) {
    const gi = decayedGrad(g[i], p[i], maximize, weightDecay);
    s[i] += gi * gi;
    p[i] -= (lr * gi) / (Math.sqrt(s[i]) + eps);
  }
}
