/**
 * The whole-model cases of the fixture format (../shared/fixtures/README.md, `models/`): an ONNX
 * model imported into fovea and checked against PyTorch.
 *
 * - kind `inference`: the model in eval mode on `inputs` must give `outputs`.
 * - kind `train_step`: in training mode, the logits, the loss, every parameter's gradient, and the
 *   parameters and BatchNorm running statistics after two optimizer steps on the same batch.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx } from '../onnx/import.js';
import type { OnnxModel } from '../onnx/model.js';
import { tensorMismatch, type Tolerance } from '../onnx/backend-test.js';
import { crossEntropy } from '../ops/cross-entropy.js';
import { noGrad } from '../autograd/grad-mode.js';
import { AdamW } from '../optim/adam.js';
import type { Optimizer, OptimizerOptions } from '../optim/optimizer.js';
import { SGD } from '../optim/sgd.js';
import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { loadNpy } from './npy.js';

/** A `models/` case.json: `kind` says which of the two layouts it has. */
export interface ModelCase {
  kind: 'inference' | 'train_step';
  model: string;
  /** inference: graph input name → .npy file; outputs likewise. */
  inputs?: Record<string, string>;
  outputs?: Record<string, string>;
  /** train_step: the batch, the expected first-pass logits and loss. */
  input?: string;
  target?: string;
  logits?: string;
  loss?: string;
  loss_fn?: string;
  /** Parameter name → file name inside grads_dir and after_dir. */
  params?: Record<string, string>;
  grads_dir?: string;
  after_dir?: string;
  optimizer?: OptimizerSpec;
}

/** The optimizer of a train_step case, with PyTorch's option names. */
interface OptimizerSpec {
  name: 'sgd' | 'adamw';
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  weight_decay?: number;
  betas?: [number, number];
  eps?: number;
  steps?: number;
}

/** Runs one model case; returns the problems found (none: it passed). */
export function runModelCase(dir: string, spec: ModelCase, tolerance: Tolerance): string[] {
  const problems: string[] = [];
  const compare = (what: string, actual: Tensor | undefined, file: string) => {
    const mismatch = actual
      ? tensorMismatch(actual, loadNpy(join(dir, file)), tolerance)
      : 'missing';
    if (mismatch) problems.push(`${what}: ${mismatch}`);
  };
  const model = importOnnx(join(dir, spec.model));
  if (spec.kind === 'inference') {
    model.eval();
    const feeds = Object.fromEntries(
      Object.entries(spec.inputs ?? {}).map(([name, file]) => [name, loadNpy(join(dir, file))]),
    );
    const outputs = noGrad(() => model.run(feeds));
    for (const [name, file] of Object.entries(spec.outputs ?? {}))
      compare(`output ${name}`, outputs[name], file);
  } else if (spec.kind === 'train_step') {
    trainStep(dir, spec, model, compare);
  } else {
    throw new FoveaError('fixtures', `${dir}: unknown case kind '${String(spec.kind)}'`);
  }
  return problems;
}

/** The train_step checks: first pass, gradients, then state after the optimizer's steps. */
function trainStep(
  dir: string,
  spec: ModelCase,
  model: OnnxModel,
  compare: (what: string, actual: Tensor | undefined, file: string) => void,
): void {
  const need = <T>(value: T | undefined, key: string): T => {
    if (value === undefined)
      throw new FoveaError('fixtures', `${dir}: train_step case.json needs '${key}'`);
    return value;
  };
  if (need(spec.loss_fn, 'loss_fn') !== 'cross_entropy') {
    throw new FoveaError(
      'fixtures',
      `${dir}: loss_fn '${spec.loss_fn}' is not supported (cross_entropy is)`,
    );
  }
  const [input, target] = [
    loadNpy(join(dir, need(spec.input, 'input'))),
    loadNpy(join(dir, need(spec.target, 'target'))),
  ];
  const optimizerSpec = need(spec.optimizer, 'optimizer');
  model.train();
  const optimizer = makeOptimizer(model, optimizerSpec);
  const steps = optimizerSpec.steps ?? 1;
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const logits = model.forward(input);
    const loss = crossEntropy(logits, target);
    loss.backward();
    if (step === 0) {
      compare('logits', logits, need(spec.logits, 'logits'));
      compare('loss', loss, need(spec.loss, 'loss'));
      for (const [name, file] of Object.entries(need(spec.params, 'params'))) {
        compare(
          `grad ${name}`,
          model.initializer(name)?.grad ?? undefined,
          join(need(spec.grads_dir, 'grads_dir'), file),
        );
      }
    }
    optimizer.step();
  }
  const afterDir = need(spec.after_dir, 'after_dir');
  for (const file of readdirSync(join(dir, afterDir))
    .filter((f) => f.endsWith('.npy'))
    .sort()) {
    const name = file.slice(0, -'.npy'.length);
    compare(`after ${name}`, model.initializer(name), join(afterDir, file));
  }
}

/** The case's optimizer over every parameter of the model. */
function makeOptimizer(
  model: OnnxModel,
  spec: OptimizerSpec,
): Pick<Optimizer<OptimizerOptions>, 'step' | 'zeroGrad'> {
  const params = model.parameters();
  if (spec.name === 'sgd') {
    return new SGD(params, {
      lr: spec.lr,
      momentum: spec.momentum ?? 0,
      nesterov: spec.nesterov ?? false,
      weightDecay: spec.weight_decay ?? 0,
    });
  }
  if (spec.name === 'adamw') {
    return new AdamW(params, {
      lr: spec.lr,
      betas: spec.betas ?? [0.9, 0.999],
      eps: spec.eps ?? 1e-8,
      weightDecay: spec.weight_decay ?? 0.01,
    });
  }
  throw new FoveaError(
    'onnx',
    `optimizer '${String(spec.name)}' is not supported (sgd, adamw are)`,
  );
}
