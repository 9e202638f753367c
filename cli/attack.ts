import { loadDataset } from '../src/data/detect.js';
import type { Dataset } from '../src/data/dataset.js';
import { fashionMnistSample } from '../src/data/fashion-mnist.js';
import { toFloat } from '../src/data/transforms/index.js';
import { Sequential } from '../src/nn/layers/container.js';
import { Normalize } from '../src/nn/layers/normalize.js';
import { ATTACK_METHODS, type AttackMethod } from '../src/robust/adversarial-examples.js';
import type { Norm } from '../src/robust/norm-ball.js';
import { robustnessCurve } from '../src/robust/robustness-curve.js';
import { check } from '../src/tensor/errors.js';
import { Generator } from '../src/tensor/random.js';
import { openModel } from './inspect.js';

/** Options of `fovea attack`. */
export interface AttackCommandOptions {
  data?: string;
  eps: number;
  method: string;
  norm: string;
  steps: number;
  stepSize?: number;
  limit: number;
  seed: number;
}

/**
 * `fovea attack MODEL [--data DIR] --eps E [--method fgsm|pgd] ...`: clean and adversarial
 * accuracy of a saved model on a test split (default: the shipped Fashion-MNIST sample). Pixels
 * are scaled to [0, 1] and the model's normalization runs inside the attacked model, so eps is
 * in pixel units (0.1 ≈ 25 grey levels).
 */
export async function attackCommand(
  dir: string,
  options: AttackCommandOptions,
  print: (line: string) => void,
): Promise<void> {
  const [method, norm] = [options.method as AttackMethod, options.norm as Norm];
  check(
    ATTACK_METHODS.includes(method),
    'attack',
    () => `unknown --method '${options.method}'; use one of ${ATTACK_METHODS.join(', ')}`,
  );
  check(
    norm === 'linf' || norm === 'l2',
    'attack',
    () => `--norm must be linf or l2, got '${norm}'`,
  );
  const { model, config } = openModel(dir);
  const { normalization } = config;
  const pixelModel = normalization
    ? new Sequential(new Normalize(normalization.mean, normalization.std), model)
    : model;
  const split = options.data
    ? await loadDataset(options.data, { split: 'test' })
    : fashionMnistSample('test');
  const scale = toFloat();
  const count = Math.min(options.limit, split.length);
  const data: Dataset = {
    length: count,
    get: (i, g) => scale(split.get(i), g ?? new Generator(0)),
  };
  const [clean, attacked] = robustnessCurve(pixelModel, data, {
    epsilons: [0, options.eps],
    attack: method,
    norm,
    steps: options.steps,
    stepSize: options.stepSize,
    generator: new Generator(options.seed),
  });
  const name = `${method === 'pgd' ? `PGD-${options.steps}` : 'FGSM'} ${norm === 'linf' ? 'L∞' : 'L2'}`;
  print(`clean accuracy ${(100 * clean.accuracy).toFixed(2)}% on ${count} images`);
  print(
    `adversarial accuracy ${(100 * attacked.accuracy).toFixed(2)}% (${name}, eps ${options.eps})`,
  );
}
