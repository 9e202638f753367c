import cliProgress from 'cli-progress';
import type { Callback, Logs, TrainContext } from '../callback.js';

/** Options of ProgressBar. */
export interface ProgressBarOptions {
  /** Where the bar is drawn (default process.stderr); no bar unless it is a terminal. */
  stream?: NodeJS.WriteStream;
  /** Where the one-line summary of each epoch goes (default console.log). */
  print?: (line: string) => void;
}

/**
 * Shows training progress, as Keras's verbose fit: on a terminal, a bar per epoch with the running
 * loss and accuracy, images per second and the time left; after each epoch (on any output), one
 * line with the epoch's numbers, validation included.
 */
export class ProgressBar implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly print: (line: string) => void;

  constructor(options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.print = options.print ?? ((line) => console.log(line));
  }

  onEpochBegin(epoch: number, ctx: TrainContext): void {
    this.started = performance.now();
    if (!this.stream.isTTY) return;
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.stream,
        format: `epoch ${epoch + 1}/${ctx.epochs} {bar} {value}/{total} | loss {loss} | acc {acc} | {speed} img/s | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(ctx.stepsPerEpoch, 0, { loss: '-', acc: '-', speed: '-' });
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.bar?.update(batch + 1, {
      loss: logs.loss.toFixed(4),
      acc: logs.accuracy === undefined ? '-' : logs.accuracy.toFixed(4),
      speed: this.speed(logs.samples).toFixed(0),
    });
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainContext): void {
    this.bar?.stop();
    this.bar = null;
    const seconds = (performance.now() - this.started) / 1000;
    const numbers = Object.entries(logs)
      .filter(([k]) => k !== 'epoch' && k !== 'samples')
      .map(([k, v]) => `${k} ${k === 'lr' ? v.toExponential(2) : v.toFixed(4)}`);
    this.print(`epoch ${epoch + 1}/${ctx.epochs} (${seconds.toFixed(1)} s): ${numbers.join(', ')}`);
  }

  private speed(samples: number | undefined): number {
    return ((samples ?? 0) * 1000) / Math.max(1, performance.now() - this.started);
  }
}
