import { noGrad } from '../../autograd/grad-mode.js';
import type { Module } from '../../nn/module.js';
import { isParameter } from '../../nn/module.js';
import { FoveaError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { DoctorContext, Finding } from '../finding.js';
import { probe } from '../probe.js';

/** The first layer learning this many times slower than the last is vanishing... */
const VANISHING = 1e-3;
/** ...and this many times faster, exploding... */
const EXPLODING = 1e3;
/** ...as is any layer whose gradient is this many times its weights (healthy: 1e-4 to 1). */
const EXPLODING_RELATIVE = 10;

/** A weighted layer's relative gradient ‖∇W‖/‖W‖, averaged over the batches. */
interface LayerGradient {
  name: string;
  relative: number;
}

/**
 * Vanishing or exploding gradients, from a few real backward passes: for every layer with a
 * weight (convolutions, linear layers), in execution order, the relative gradient ‖∇W‖/‖W‖ (how
 * fast that layer would learn under SGD), averaged over the sampled batches. The first layer
 * learning 1,000× slower than the last is vanishing; 1,000× faster, or any layer with a gradient
 * 10× the norm of its weights (healthy layers see 1e-4 to 1), is exploding; a NaN or infinite
 * gradient is an error. The model is left as it was (see probe).
 *
 * @example gradientCheck(ctx) // flags a deep sigmoid CNN without normalization
 */
export function gradientCheck(ctx: DoctorContext): Finding[] {
  if (!ctx.batches || !ctx.dataFitsModel) return [];
  const weighted = weightedLayers(ctx);
  if (weighted.length < 2) return [];
  let gradients: LayerGradient[];
  try {
    gradients = probe(ctx.model, () => measure(ctx, weighted));
  } catch (e) {
    if (!(e instanceof FoveaError)) throw e;
    return [
      {
        id: 'gradients-not-checked',
        severity: 'info',
        message: `The gradient and activation checks could not compute the loss on the data: ${e.message}`,
        evidence: {},
        fix: `Pass a loss that fits the model's output and the data's targets (doctor option loss), or a task (classification, segmentation, pose).`,
      },
    ];
  }
  const first = gradients[0];
  const last = gradients[gradients.length - 1];
  const evidence = Object.fromEntries(gradients.map((g) => [g.name, g.relative]));
  if (gradients.some((g) => !Number.isFinite(g.relative))) {
    const bad = gradients.find((g) => !Number.isFinite(g.relative))!;
    return [
      {
        id: 'non-finite-gradients',
        severity: 'error',
        message: `The gradient of '${bad.name}' is ${bad.relative} on ordinary data: training will diverge at the first step.`,
        evidence,
        fix: 'Normalize the inputs, add batch norm, lower the initial weights (kaiming init), lower the learning rate, and clip gradients (clipGradNorm).',
      },
    ];
  }
  const ratio = first.relative / last.relative;
  const largest = gradients.reduce((a, b) => (b.relative > a.relative ? b : a));
  const base = { ...evidence, firstToLastRatio: ratio };
  if (ratio > EXPLODING || largest.relative > EXPLODING_RELATIVE) {
    return [
      {
        id: 'exploding-gradients',
        severity: 'error',
        message: `The gradients are too large: '${largest.name}' gets a relative gradient ‖∇W‖/‖W‖ of ${largest.relative.toExponential(2)} (healthy layers: 1e-4 to 1), and the first weighted layer '${first.name}' ${ratio.toExponential(1)}× what the last, '${last.name}', gets: one step moves the weights further than their own size, and training diverges.`,
        evidence: base,
        fix: 'Add batch norm, use kaiming initialisation (smaller weights), normalize the inputs, lower the learning rate and clip gradients (clipGradNorm).',
      },
    ];
  }
  if (ratio >= VANISHING) return [];
  return [
    {
      id: 'vanishing-gradients',
      severity: 'warning',
      message: `The first weighted layer '${first.name}' gets a relative gradient ‖∇W‖/‖W‖ of ${first.relative.toExponential(2)}, ${(1 / ratio).toExponential(1)}× smaller than the last, '${last.name}' (${last.relative.toExponential(2)}): the early layers barely learn.`,
      evidence: base,
      fix: 'Use ReLU-family activations instead of sigmoid/tanh, batch norm after convolutions, residual connections in deep stacks, and kaiming initialisation.',
    },
  ];
}

/** The modules with a weight parameter of rank ≥ 2 that trains, in the order the pass ran them. */
function weightedLayers(ctx: DoctorContext): [string, Tensor][] {
  const seen = new Set<string>();
  const out: [string, Tensor][] = [];
  for (const row of ctx.summary.layers) {
    const weight = (ctx.modules.get(row.name) as Module & { weight?: unknown }).weight;
    if (seen.has(row.name) || !isWeight(weight)) continue;
    seen.add(row.name);
    out.push([row.name, weight]);
  }
  return out;
}

function isWeight(t: unknown): t is Tensor {
  return (
    typeof t === 'object' &&
    t !== null &&
    isParameter(t as Tensor) &&
    (t as Tensor).ndim >= 2 &&
    (t as Tensor).requiresGrad
  );
}

/** Backward on each batch; the relative gradient of each weight, averaged. */
function measure(ctx: DoctorContext, weighted: [string, Tensor][]): LayerGradient[] {
  const sums = weighted.map(() => 0);
  for (const batch of ctx.batches!) {
    for (const p of ctx.model.parameters()) p.grad = null;
    ctx.loss(ctx.model.forward(batch.input), batch.target).backward();
    noGrad(() =>
      weighted.forEach(([, w], i) => {
        sums[i] += norm(w.grad) / Math.max(norm(w), 1e-12);
      }),
    );
  }
  return weighted.map(([name], i) => ({ name, relative: sums[i] / ctx.batches!.length }));
}

function norm(t: Tensor | null): number {
  if (!t) return 0;
  let s = 0;
  for (let i = 0; i < t.size; i++) s += t.data[i] ** 2;
  return Math.sqrt(s);
}
