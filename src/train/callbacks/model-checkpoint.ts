import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Callback, Logs, TrainContext } from '../callback.js';
import { saveCheckpoint, type CheckpointParts } from '../checkpoint.js';

/** Options of ModelCheckpoint. */
export interface ModelCheckpointOptions {
  /** The logged number that decides the best epoch (default 'val_loss'; 'loss' without validation). */
  monitor?: string;
  /** Whether lower or higher is better; 'auto' guesses from the name (accuracy → max). */
  mode?: 'min' | 'max' | 'auto';
  /** Saved and restored with the model and optimizer, so a resumed run continues exactly. */
  scheduler?: CheckpointParts['scheduler'];
  generator?: CheckpointParts['generator'];
  /**
   * Also save `last.safetensors` every this many optimizer steps, mid-epoch included, with the
   * loader's position, so a resumed run continues at the very next batch (default: epoch ends only).
   */
  everySteps?: number;
}

/**
 * Saves `last.safetensors` after every epoch and `best.safetensors` whenever the monitored number
 * improves, in `dir`: model, optimizer, schedule, RNG state, epoch and history (see
 * saveCheckpoint), so `loadCheckpoint` resumes the run.
 */
export class ModelCheckpoint implements Callback {
  private best = Infinity;
  private readonly sign: number;
  /** The epoch of the best checkpoint so far, or null. */
  bestEpoch: number | null = null;

  constructor(
    readonly dir: string,
    readonly options: ModelCheckpointOptions = {},
  ) {
    const monitor = options.monitor ?? 'val_loss';
    const mode = options.mode ?? 'auto';
    this.sign = mode === 'max' || (mode === 'auto' && /acc|iou|f1/.test(monitor)) ? -1 : 1;
    mkdirSync(dir, { recursive: true });
  }

  onBatchEnd(_batch: number, _logs: Logs, ctx: TrainContext): void {
    const every = this.options.everySteps;
    if (every === undefined || ctx.globalStep % every !== 0) return;
    const progress = { epoch: ctx.epoch, globalStep: ctx.globalStep, history: ctx.history };
    saveCheckpoint(join(this.dir, 'last.safetensors'), this.parts(ctx), progress);
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainContext): void {
    const parts = this.parts(ctx);
    // An epoch cut short (stopTraining mid-epoch) is not complete: a resumed run finishes it.
    const position = ctx.loader?.position();
    const done = !position || position.nextBatch >= ctx.loader!.length;
    const progress = {
      epoch: done ? epoch + 1 : epoch,
      globalStep: ctx.globalStep,
      history: ctx.history,
    };
    saveCheckpoint(join(this.dir, 'last.safetensors'), parts, progress);
    const monitor = this.options.monitor ?? (logs.val_loss !== undefined ? 'val_loss' : 'loss');
    const value = this.sign * logs[monitor];
    if (value < this.best) {
      this.best = value;
      this.bestEpoch = epoch;
      saveCheckpoint(join(this.dir, 'best.safetensors'), parts, progress);
    }
  }

  private parts(ctx: TrainContext): CheckpointParts {
    return {
      model: ctx.model,
      optimizer: ctx.optimizer,
      scheduler: this.options.scheduler,
      generator: this.options.generator,
      loader: ctx.loader,
    };
  }
}
