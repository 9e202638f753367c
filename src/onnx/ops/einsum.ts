/**
 * Einsum by broadcasting: each operand's repeated labels become diagonals, every operand is laid
 * out over all labels (size 1 where it lacks one), the product is summed over the labels not in
 * the output. Differentiable, as it is built from fovea ops; memory grows with the product of all
 * label sizes, which is fine for the small contractions CNN graphs hold.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext } from '../node-context.js';
import { takeAlong } from './util.js';

/** One operand's labels, with `...` expanded to labels `0`, `1`, ... counted from the right. */
function operandLabels(ctx: NodeContext, term: string, ndim: number): string[] {
  const [before, after = undefined] = term.split('...');
  const letters = [...before, ...(after ?? '')];
  if (after === undefined) {
    ctx.check(
      letters.length === ndim,
      () => `term '${term}' has ${letters.length} labels for a rank-${ndim} operand`,
    );
    return letters;
  }
  const ellipsis = ndim - letters.length;
  ctx.check(ellipsis >= 0, () => `term '${term}' has more labels than the operand's rank ${ndim}`);
  const middle = Array.from({ length: ellipsis }, (_, i) => String(ellipsis - 1 - i));
  return [...before, ...middle, ...after];
}

/** Takes the diagonal of every repeated label, so each label appears once. */
function diagonals(x: Tensor, labels: string[]): [Tensor, string[]] {
  for (;;) {
    const j = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (j < 0) return [x, labels];
    const i = labels.indexOf(labels[j]);
    const rest = labels.map((_, k) => k).filter((k) => k !== i && k !== j);
    const n = x.shape[i];
    const moved = ops.permute(x, [...rest, i, j]);
    const flat = ops.reshape(moved, [...moved.shape.slice(0, -2), n * n]);
    x = takeAlong(
      flat,
      flat.ndim - 1,
      Array.from({ length: n }, (_, k) => k * (n + 1)),
      'Einsum',
    );
    labels = [...rest.map((k) => labels[k]), labels[i]];
  }
}

/** Evaluates an einsum equation such as `bij,bjk->bik` or `...ii->...i`. */
export function einsum(ctx: NodeContext, equation: string, inputs: readonly Tensor[]): Tensor {
  const [lhs, rhs] = equation.replaceAll(' ', '').split('->');
  const terms = lhs.split(',');
  ctx.check(
    terms.length === inputs.length,
    () =>
      `equation '${equation}' has ${terms.length} operands but the node has ${inputs.length} inputs`,
  );
  const operands = inputs.map((t, k) => diagonals(t, operandLabels(ctx, terms[k], t.ndim)));
  const all = [...new Set(operands.flatMap(([, labels]) => labels))];
  const ellipsisCount = Math.max(
    0,
    ...operands.map(([, l]) => l.filter((c) => /\d/.test(c)).length),
  );
  const ellipsis = Array.from({ length: ellipsisCount }, (_, i) => String(ellipsisCount - 1 - i));
  const output =
    rhs === undefined
      ? [
          ...ellipsis,
          ...all
            .filter(
              (l) =>
                !/\d/.test(l) &&
                operands.flatMap(([, ls]) => ls).filter((m) => m === l).length === 1,
            )
            .sort(),
        ]
      : operandLabels(
          ctx,
          rhs,
          (rhs.includes('...') ? ellipsisCount : 0) + rhs.replace('...', '').length,
        );
  const order = [...output, ...all.filter((l) => !output.includes(l))];
  const product = operands
    .map(([t, labels]) => {
      const present = order.filter((l) => labels.includes(l));
      const permuted = ops.permute(
        t,
        present.map((l) => labels.indexOf(l)),
      );
      return ops.reshape(
        permuted,
        order.map((l) => (labels.includes(l) ? t.shape[labels.indexOf(l)] : 1)),
      );
    })
    .reduce((acc, t) => ops.mul(acc, t));
  const summed =
    order.length > output.length
      ? ops.sum(product, order.map((_, i) => i).slice(output.length))
      : product;
  return ops.reshape(summed, summed.shape.slice(0, output.length));
}
