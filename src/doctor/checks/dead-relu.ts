import { noGrad } from '../../autograd/grad-mode.js';
import { ReLU } from '../../nn/layers/activation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { layerList } from '../evidence.js';
import type { DoctorContext, Finding } from '../finding.js';
import { probe } from '../probe.js';

/** A ReLU layer with more than this fraction of units never active is reported. */
const DEAD_FRACTION = 0.5;

/**
 * Dead ReLUs: units (a channel at a position) that output 0 for every sampled input, so no
 * gradient ever reaches the weights behind them. Reports each ReLU layer where more than half
 * the units never fire, with the fraction as evidence. Only ReLU modules are seen (functional
 * relu calls inside a forward are not).
 *
 * @example deadReluCheck(ctx) // flags a conv whose bias was pushed to −100
 */
export function deadReluCheck(ctx: DoctorContext): Finding[] {
  if (!ctx.batches || !ctx.dataFitsModel) return [];
  const active = new Map<string, Uint8Array>();
  const relus = [...ctx.modules].filter(([, m]) => m instanceof ReLU);
  if (relus.length === 0) return [];
  probe(ctx.model, () => {
    const handles = relus.map(([name, m]) =>
      m.registerForwardHook((_m, _x, y) => record(active, name, y)),
    );
    try {
      noGrad(() => ctx.batches!.forEach((b) => ctx.model.forward(b.input)));
    } finally {
      handles.forEach((h) => h.remove());
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

/** Marks, per layer call shape, which output units were positive in this batch. */
function record(active: Map<string, Uint8Array>, name: string, y: Tensor): void {
  const units = y.size / y.shape[0];
  const key = `${name}${active.has(name) && active.get(name)!.length !== units ? ` ${units}` : ''}`;
  let fired = active.get(key);
  if (!fired) active.set(key, (fired = new Uint8Array(units)));
  for (let i = 0; i < y.size; i++) if (y.data[i] > 0) fired[i % units] = 1;
}
