/** Helpers that turn per-dim numbers and layer lists into a finding's evidence and text. */

/** The letters of `n` spatial dims: L; H, W; D, H, W (outermost first); indices beyond 3. */
export function dimNames(n: number): string[] {
  const letters: Record<number, string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };
  return letters[n] ?? Array.from({ length: n }, (_, i) => String(i));
}

/**
 * One evidence entry per spatial dim: `perDim('field', [10, 10])` is `{ fieldH: 10, fieldW: 10 }`
 * (a single dim is `fieldL`).
 *
 * @example perDim('input', [28, 28]) // { inputH: 28, inputW: 28 }
 */
export function perDim(prefix: string, values: readonly number[]): Record<string, number> {
  const names = dimNames(values.length);
  return Object.fromEntries(values.map((v, i) => [`${prefix}${names[i]}`, v]));
}

/** Spatial sizes as `28×28`, fractions to two places. */
export function size(values: readonly number[]): string {
  return values.map((v) => String(Math.round(v * 100) / 100)).join('×');
}

/** A list of layer names for a message: `'a', 'b' and 3 more`. */
export function layerList(names: readonly string[], shown = 4): string {
  const quoted = names.slice(0, shown).map((n) => `'${n}'`);
  const rest = names.length - shown;
  return rest > 0 ? `${quoted.join(', ')} and ${rest} more` : quoted.join(', ');
}
