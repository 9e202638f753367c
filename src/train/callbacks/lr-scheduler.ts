import type { Callback, Logs } from '../callback.js';

/** The part of an LR schedule the callback drives (src/optim's schedules have it). */
export interface StepSchedule {
  step(metric?: number): void;
}

/**
 * Steps an LR schedule after every epoch (default) or every batch; with `monitor`, passes that
 * logged number (for ReduceLROnPlateau).
 */
export class LRSchedulerCallback implements Callback {
  constructor(
    readonly schedule: StepSchedule,
    readonly options: { interval?: 'epoch' | 'batch'; monitor?: string } = {},
  ) {}

  onBatchEnd(_batch: number, logs: Logs): void {
    if (this.options.interval === 'batch') this.step(logs);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if ((this.options.interval ?? 'epoch') === 'epoch') this.step(logs);
  }

  private step(logs: Logs): void {
    this.schedule.step(this.options.monitor ? logs[this.options.monitor] : undefined);
  }
}
