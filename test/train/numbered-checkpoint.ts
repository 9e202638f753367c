import { Linear } from '../../src/nn/layers/linear.js';
import { manualSeed } from '../../src/tensor/random.js';
import type { CheckpointParts, CheckpointProgress } from '../../src/train/checkpoint.js';

/**
 * Checkpoint number `k` of the kill test: a 2 MB model whose weights all equal k, so each
 * checkpoint's bytes differ from the next and any one can be rebuilt to compare against.
 */
export function numberedCheckpoint(k: number): {
  parts: CheckpointParts;
  progress: CheckpointProgress;
} {
  manualSeed(0);
  const model = new Linear(1024, 512);
  model.weight.data.fill(k);
  model.bias!.data.fill(-k);
  return { parts: { model }, progress: { epoch: k, globalStep: k, history: [] } };
}
