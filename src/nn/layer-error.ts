/**
 * Errors raised inside a layer of a Sequential say which layer: the op's message, then
 * `(in layer 2: Linear(inFeatures=100, outFeatures=10, bias=true))`, with the full path for
 * nested containers (`features.3`), so a shape mismatch deep in a model points at its line.
 */
import { NonFiniteError } from '../autograd/anomaly.js';
import { FoveaError } from '../tensor/errors.js';
import type { Module } from './module.js';

/** A FoveaError from inside a layer, with that layer's path and description appended. */
export class LayerError extends FoveaError {
  constructor(
    /** The error the op raised, before the layer was named. */
    readonly original: FoveaError,
    /** The layer's path from the outermost container, e.g. `features.3`. */
    readonly path: string,
    /** The layer's first line of `toString()`, e.g. `Conv2d(1, 8, kernelSize=[3,3], ...)`. */
    readonly layer: string,
  ) {
    super(
      original.op,
      `${original.message.slice(original.op.length + 2)} (in layer ${path}: ${layer})`,
    );
    this.name = 'LayerError';
  }
}

/**
 * Runs `fn` (a child's forward) and names the child `name` in any FoveaError it throws; an error
 * already naming an inner layer gets the outer part of the path. NaN guard errors pass as they are.
 *
 * @example
 * x = inLayer('2', child, () => child.forward(x));
 */
export function inLayer<T>(name: string, child: Module, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof FoveaError) || e instanceof NonFiniteError) throw e;
    if (e instanceof LayerError) throw new LayerError(e.original, `${name}.${e.path}`, e.layer);
    const layer = child.toString().split('\n')[0].replace(/\($/, '');
    throw new LayerError(e, name, layer);
  }
}
