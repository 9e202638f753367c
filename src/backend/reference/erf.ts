/**
 * The error function to double precision, smooth enough for finite-difference gradient checks.
 * For |x| < 6 it sums erf(x) = 2x/√π · e^(−x²) · Σ (2x²)^n / (1·3·…·(2n+1)), a series of positive
 * terms (no cancellation); beyond that erf is ±1 to within 2e-17.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  const x2 = ax * ax;
  let term = 1;
  let sum = 1;
  for (let n = 1; term > 1e-17 * sum; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * ((2 * ax) / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}
