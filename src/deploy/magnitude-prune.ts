import type { Module } from '../nn/module.js';
import { check } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Callback } from '../train/callback.js';
import { isFoldableLayer, type FoldableLayer } from './fusion-groups.js';

/** Options of {@link magnitudePrune}. */
export interface MagnitudePruneOptions {
  /** The fraction of the chosen weights set to zero, in [0, 1). */
  amount: number;
  /**
   * 'global' (default): one threshold over all chosen weights, so layers with many small weights
   * lose more (PyTorch's `global_unstructured`); 'layer': each weight tensor loses `amount`
   * (`l1_unstructured` per layer).
   */
  scope?: 'global' | 'layer';
  /** Which weights to prune, by parameter name (default: the weight of every conv and linear layer). */
  include?: (name: string) => boolean;
}

/**
 * The 0/1 masks of pruned weights. `apply()` zeroes the masked weights again — what the
 * {@link KeepPruned} callback does after every optimizer step, so fine-tuning keeps zeros at zero.
 */
export class PruningMasks {
  /** Each pruned weight tensor with its mask (1 = kept) and parameter name. */
  readonly entries: { name: string; weight: Tensor; mask: Uint8Array }[] = [];

  /** Sets every masked weight to zero. */
  apply(): void {
    for (const { weight, mask } of this.entries) {
      const w = weight.data;
      for (let i = 0; i < w.length; i++) if (mask[i] === 0) w[i] = 0;
    }
  }

  /** The fraction of masked weights over all masked tensors. */
  sparsity(): number {
    let zero = 0;
    let total = 0;
    for (const { mask } of this.entries) {
      total += mask.length;
      for (const m of mask) zero += 1 - m;
    }
    return total === 0 ? 0 : zero / total;
  }
}

/**
 * A fit callback that re-applies pruning masks after each optimizer step (the step may move a
 * pruned weight through momentum or weight decay), so pruned weights stay exactly zero.
 *
 * @example await fit(model, data, { optimizer, callbacks: [new KeepPruned(masks)] });
 */
export class KeepPruned implements Callback {
  constructor(readonly masks: PruningMasks) {}

  onBatchEnd(): void {
    this.masks.apply();
  }
}

/** Masks the `count` smallest-magnitude entries of `weights` (flattened together), ties by order. */
function maskSmallest(weights: Tensor[], count: number): Uint8Array[] {
  const total = weights.reduce((s, w) => s + w.size, 0);
  const magnitudes = new Float64Array(total);
  let at = 0;
  for (const w of weights) for (const v of w.data) magnitudes[at++] = Math.abs(v);
  const order = Uint32Array.from({ length: total }, (_, i) => i).sort(
    (a, b) => magnitudes[a] - magnitudes[b] || a - b,
  );
  const flat = new Uint8Array(total).fill(1);
  for (let i = 0; i < count; i++) flat[order[i]] = 0;
  let offset = 0;
  return weights.map((w) => {
    const mask = flat.slice(offset, offset + w.size);
    offset += w.size;
    return mask;
  });
}

/**
 * Unstructured magnitude pruning: sets the `amount` fraction of smallest-magnitude weights to
 * zero, over all conv and linear weights together ('global') or per layer, and returns the masks.
 * Biases and batch norms are left alone. Keep the zeros while fine-tuning with
 * `new KeepPruned(masks)` as a fit callback. Zeros shrink a model only once it is stored sparse or
 * compressed; for a smaller dense model use {@link pruneChannels}.
 *
 * @example
 * const masks = magnitudePrune(model, { amount: 0.7 });
 * await fit(model, train, { optimizer: new Adam(model.parameters(), { lr: 1e-4 }), callbacks: [new KeepPruned(masks)] });
 */
export function magnitudePrune(model: Module, options: MagnitudePruneOptions): PruningMasks {
  const { amount, scope = 'global' } = options;
  check(
    amount >= 0 && amount < 1,
    'magnitudePrune',
    () => `amount must be a fraction in [0, 1), got ${amount}`,
  );
  check(
    scope === 'global' || scope === 'layer',
    'magnitudePrune',
    () => `scope must be 'global' or 'layer', got '${String(scope)}'`,
  );
  const chosen = model
    .namedModules()
    .filter((e): e is [string, FoldableLayer] => isFoldableLayer(e[1]))
    .map(([name, m]) => ({ name: name ? `${name}.weight` : 'weight', weight: m.weight }))
    .filter(({ name }) => options.include?.(name) ?? true);
  check(
    chosen.length > 0,
    'magnitudePrune',
    () => 'found no conv or linear weight to prune (check options.include)',
  );
  const masks = new PruningMasks();
  const groups = scope === 'global' ? [chosen] : chosen.map((c) => [c]);
  for (const group of groups) {
    const weights = group.map((c) => c.weight);
    const count = Math.floor(amount * weights.reduce((s, w) => s + w.size, 0));
    maskSmallest(weights, count).forEach((mask, i) => masks.entries.push({ ...group[i], mask }));
  }
  masks.apply();
  return masks;
}
