import { check } from '../../tensor/errors.js';

/** Checks a layer's size argument (channels, features, groups, ...): a positive integer. */
export function checkPositiveInteger(layer: string, name: string, value: number): void {
  check(
    Number.isInteger(value) && value > 0,
    layer,
    () => `${name} must be a positive integer, got ${value}`,
  );
}

/** Checks a probability argument (dropout's p): a number in [0, 1]. */
export function checkProbability(layer: string, name: string, value: number): void {
  check(
    typeof value === 'number' && value >= 0 && value <= 1,
    layer,
    () => `${name} must be a probability in [0, 1], got ${value}`,
  );
}
