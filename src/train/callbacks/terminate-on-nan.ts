import type { Callback, Logs, TrainContext } from '../callback.js';

/**
 * Stops training at the first batch whose loss is NaN or infinite, as Keras's TerminateOnNaN,
 * and says which batch it was.
 */
export class TerminateOnNaN implements Callback {
  /** Where training stopped and why, once it has. */
  reason: string | null = null;

  onBatchEnd(batch: number, logs: Logs, ctx: TrainContext): void {
    if (Number.isFinite(logs.loss)) return;
    this.reason = `loss became ${logs.loss} at epoch ${ctx.epoch}, batch ${batch} (step ${ctx.globalStep})`;
    ctx.stopTraining = true;
  }
}
