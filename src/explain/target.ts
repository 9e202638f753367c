import { noGrad } from '../autograd/grad-mode.js';
import { gather } from '../ops/gather.js';
import { argmax, sum } from '../ops/reduce.js';
import { unsqueeze } from '../ops/reshape.js';
import { tensor } from '../tensor/create.js';
import { check, fmt } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Which class an explanation is about, as Captum's `target`: one class for the whole batch, one
 * per sample (an array or an integer tensor [N]), or omitted for each sample's predicted class.
 */
export type ClassTarget = number | readonly number[] | Tensor;

/**
 * The class of each sample as an int32 tensor [N]: `target` checked against the model's
 * `output` [N, classes], or the argmax of `output` when `target` is undefined.
 */
export function resolveTarget(output: Tensor, target: ClassTarget | undefined, op: string): Tensor {
  check(
    output.ndim === 2,
    op,
    () => `the model should output class scores [N, classes], got shape ${fmt(output.shape)}`,
  );
  const [n, classes] = output.shape;
  if (target === undefined) return noGrad(() => argmax(output, 1)).int();
  const values =
    typeof target === 'number'
      ? Array<number>(n).fill(target)
      : target instanceof Tensor
        ? Array.from(target.data)
        : [...target];
  check(
    values.length === n,
    op,
    () => `target has ${values.length} classes for a batch of ${n} inputs`,
  );
  const bad = values.find((c) => !Number.isInteger(c) || c < 0 || c >= classes);
  check(
    bad === undefined,
    op,
    () => `target class ${bad} is out of range for a model with ${classes} outputs`,
  );
  return tensor(values, { dtype: 'int32' });
}

/** The summed score output[n, target[n]] over the batch: the scalar whose gradient explains. */
export function targetScore(output: Tensor, target: Tensor): Tensor {
  return sum(gather(output, 1, unsqueeze(target, 1)));
}
