import type { Batch } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import { FoveaError } from '../tensor/errors.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { fgsm } from './fgsm.js';
import { pgd, type PgdOptions } from './pgd.js';

/** The attacks fovea knows by name. */
export const ATTACK_METHODS = ['fgsm', 'pgd'] as const;

/** One of ATTACK_METHODS. */
export type AttackMethod = (typeof ATTACK_METHODS)[number];

/**
 * An attack by name with its options, as plain data (for `fit`'s `adversarial` option, the
 * robustness curve and the CLI); the PGD-only options are ignored by FGSM.
 */
export interface AttackSpec extends PgdOptions {
  /** Default 'pgd'. */
  attack?: AttackMethod;
}

/**
 * Adversarial versions of `input` by the attack `spec` names, against `target` (true labels, or
 * the classes to reach when `targeted`).
 *
 * @example adversarialExamples(model, images, labels, { attack: 'fgsm', eps: 0.1 })
 */
export function adversarialExamples(
  model: Module,
  input: Tensor,
  target: Tensor,
  spec: AttackSpec,
): Tensor {
  const attack = spec.attack ?? 'pgd';
  if (attack === 'fgsm') return fgsm(model, input, target, spec);
  if (attack === 'pgd') return pgd(model, input, target, spec);
  throw new FoveaError(
    'adversarialExamples',
    `unknown attack '${attack as string}'; use one of ${ATTACK_METHODS.join(', ')}`,
  );
}

/**
 * `batch` with its inputs replaced by their adversarial examples against its labels: one step of
 * adversarial training (`fit`'s `adversarial` option). Random starts draw from `generator`
 * unless `spec` names one.
 */
export function adversarialBatch(
  model: Module,
  batch: Batch,
  spec: AttackSpec,
  generator: Generator,
): Batch {
  return {
    ...batch,
    input: adversarialExamples(model, batch.input, batch.target, { generator, ...spec }),
  };
}
