import { check } from '../../tensor/errors.js';

/**
 * The value of a zoo model option: plain JSON, so that `{ name, options }` describes a model's
 * architecture completely in a saved config.
 */
export type OptionValue = number | string | boolean;

/** A zoo model's options, as `createModel` takes them from a config or the command line. */
export type ModelOptions = Record<string, OptionValue>;

/**
 * Fills `given` with `defaults`, refusing unknown names and values of the wrong type, so a typo
 * in a config (`numClass`) fails loudly instead of silently building the default model.
 */
export function resolveOptions<T extends ModelOptions>(
  model: string,
  defaults: T,
  given: Partial<T>,
): T {
  const resolved: ModelOptions = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    check(
      Object.hasOwn(defaults, key),
      model,
      () => `unknown option '${key}'; the options are ${Object.keys(defaults).join(', ')}`,
    );
    check(
      typeof value === typeof defaults[key],
      model,
      () => `option '${key}' must be a ${typeof defaults[key]}, got ${JSON.stringify(value)}`,
    );
    resolved[key] = value;
  }
  return resolved as T;
}

/** Checks that option `key` is an integer ≥ `min` (1 unless given). */
export function checkInteger(model: string, key: string, value: number, min = 1): void {
  check(
    Number.isInteger(value) && value >= min,
    model,
    () => `option '${key}' must be an integer ≥ ${min}, got ${value}`,
  );
}

/** Checks that option `key` is a finite number > 0 (a width multiplier). */
export function checkPositive(model: string, key: string, value: number): void {
  check(
    Number.isFinite(value) && value > 0,
    model,
    () => `option '${key}' must be a number > 0, got ${value}`,
  );
}

/** Checks that option `key` is a probability in [0, 1] (a dropout rate). */
export function checkProbability(model: string, key: string, value: number): void {
  check(
    value >= 0 && value <= 1,
    model,
    () => `option '${key}' must be a probability in [0, 1], got ${value}`,
  );
}
