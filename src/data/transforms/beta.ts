import type { Generator } from '../../tensor/random.js';

/**
 * The logarithm of a Gamma(shape, 1) sample: Marsaglia and Tsang's squeeze-free method for
 * shape ≥ 1, and for shape < 1 Gamma(shape + 1)·U^(1/shape), kept in logs because that power
 * underflows to 0 for small shapes.
 */
export function logGammaSample(shape: number, g: Generator): number {
  if (shape < 1) return logGammaSample(shape + 1, g) + Math.log(g.uniform()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = g.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(g.uniform()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return Math.log(d * v);
  }
}

/** A Beta(a, b) sample, X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function betaSample(a: number, b: number, g: Generator): number {
  const logX = logGammaSample(a, g);
  const logY = logGammaSample(b, g);
  return 1 / (1 + Math.exp(logY - logX));
}
