import { FoveaError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Callback, Logs, TrainContext } from '../callback.js';

/** Options of EarlyStopping (Keras's names and defaults). */
export interface EarlyStoppingOptions {
  /** The logged number to watch (default 'val_loss'). */
  monitor?: string;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Whether lower or higher is better; 'auto' guesses from the name (accuracy → max). */
  mode?: 'min' | 'max' | 'auto';
  /** Put back the weights of the best epoch when stopping (default false). */
  restoreBestWeights?: boolean;
}

/** Stops training when the monitored number has not improved for `patience` epochs. */
export class EarlyStopping implements Callback {
  private readonly monitor: string;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly sign: number;
  private readonly restore: boolean;
  private best = Infinity;
  private wait = 0;
  private bestWeights: Map<string, Float32Array | Float64Array | Int32Array | Uint8Array> | null =
    null;
  /** The epoch training stopped after, or null. */
  stoppedEpoch: number | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'val_loss';
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    const mode = options.mode ?? 'auto';
    const maximize =
      mode === 'max' || (mode === 'auto' && /acc|iou|f1|precision|recall/.test(this.monitor));
    // Compare sign·value, so lower is always better.
    this.sign = maximize ? -1 : 1;
    this.restore = options.restoreBestWeights ?? false;
  }

  onTrainBegin(): void {
    this.best = Infinity;
    this.wait = 0;
    this.stoppedEpoch = null;
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainContext): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new FoveaError(
        'EarlyStopping',
        `monitor '${this.monitor}' is not logged (logged: ${Object.keys(logs).join(', ')}); give fit a validation set or monitor 'loss'`,
      );
    }
    if (this.sign * value < this.best - this.minDelta) {
      this.best = this.sign * value;
      this.wait = 0;
      if (this.restore) this.bestWeights = snapshot(ctx.model.stateDict());
      return;
    }
    if (++this.wait > this.patience) {
      ctx.stopTraining = true;
      this.stoppedEpoch = epoch;
      if (this.restore && this.bestWeights) {
        for (const [name, t] of ctx.model.stateDict()) t.data.set(this.bestWeights.get(name)!);
      }
    }
  }
}

function snapshot(state: Map<string, Tensor>) {
  return new Map([...state].map(([k, t]) => [k, t.data.slice()]));
}
