import { fmt } from '../tensor/errors.js';
import { check } from '../tensor/errors.js';
import { sameShape, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './reshape.js';
import { sum } from './reduce.js';

/**
 * Sums a broadcast gradient back to the shape of the operand it was broadcast from: the adjoint
 * of broadcasting, used by every broadcasting op's backward rule.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  check(lead >= 0, 'sumTo', () => `cannot sum ${fmt(g.shape)} to the larger shape ${fmt(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++)
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(sum(g, axes, true), shape);
}
