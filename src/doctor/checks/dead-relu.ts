import { noGrad } from '../../autograd/grad-mode.js';
import { withTracer, type TracedOp } from '../../ops/trace.js';
import { Tensor } from '../../tensor/tensor.js';
import { layerList } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';
import { probe } from '../probe.js';

/** A ReLU layer with more than this fraction of units never active is reported. */
const DEAD_FRACTION = 0.5;

/**
 * Dead ReLUs: units (a channel at a position) that output 0 for every sampled input, so no
 * gradient ever reaches the weights behind them. Every relu of the forward pass is seen — ReLU
 * modules, convs with a fused ReLU and fused conv + ReLU layers by their name, functional `relu(...)` calls inside a
 * custom forward as `relu call k` (the k-th such call of the pass) — and each one where more
 * than half the units never fire is reported, with the fraction as evidence.
 *
 * @example deadReluCheck(ctx) // flags a conv whose bias was pushed to −100
 */
export function deadReluCheck(ctx: DoctorContext): Finding[] {
  if (!ctx.batches || !ctx.dataFitsModel) return [];
  const active = new Map<string, Uint8Array>();
  probe(ctx.model, () => {
    for (const batch of ctx.batches!) {
      const calls = reluCalls(ctx, batch.input);
      let functional = 0;
      for (const [name, y] of calls) record(active, name ?? `relu call ${++functional}`, y);
    }
  });
  const dead = [...active]
    .map(([name, fired]) => [name, 1 - fired.reduce((n, f) => n + f, 0) / fired.length] as const)
    .filter(([, fraction]) => fraction > DEAD_FRACTION);
  if (dead.length === 0) return [];
  return [
    {
      id: 'dead-relus',
      severity: 'warning',
      message: `${layerList(dead.map(([n]) => n))}: ${dead.map(([n, f]) => `${n} ${(100 * f).toFixed(0)}%`).join(', ')} of units never fire on ${ctx.batches.reduce((k, b) => k + b.input.shape[0], 0)} samples; no gradient reaches the weights behind them.`,
      evidence: Object.fromEntries(dead),
      fix: 'Lower the learning rate (dead units usually come from a large step), check biases and initialisation (kaiming), add batch norm before the ReLU, or use LeakyReLU/GELU.',
    },
  ];
}

/**
 * The output of every relu op of one forward pass on `input`, in call order, each with the name
 * of the innermost module that returned it (undefined for a functional call in a forward).
 */
function reluCalls(ctx: DoctorContext, input: Tensor): [string | undefined, Tensor][] {
  const outputs: Tensor[] = [];
  const owner = new Map<Tensor, string>();
  // Hooks fire innermost first, so the first name given to an output is the module that made it.
  const handles = [...ctx.modules]
    .filter(([name]) => name !== '')
    .map(([name, m]) =>
      m.registerForwardHook((_m, _x, y) => {
        if (y instanceof Tensor && !owner.has(y)) owner.set(y, name);
      }),
    );
  try {
    const watch = (op: TracedOp) =>
      (op.name === 'relu' || op.attributes.activation === 'relu') && outputs.push(op.output);
    noGrad(() => withTracer(watch, () => ctx.model.forward(input)));
  } finally {
    handles.forEach((h) => h.remove());
  }
  return outputs.map((y) => [owner.get(y), y]);
}

/** Marks, per layer call shape, which output units were positive in this batch. */
function record(active: Map<string, Uint8Array>, name: string, y: Tensor): void {
  const units = y.size / y.shape[0];
  const key = `${name}${active.has(name) && active.get(name)!.length !== units ? ` ${units}` : ''}`;
  let fired = active.get(key);
  if (!fired) active.set(key, (fired = new Uint8Array(units)));
  for (let i = 0; i < y.size; i++) if (y.data[i] > 0) fired[i % units] = 1;
}
