import { detectDataset, loadDataset } from '../src/data/detect.js';
import { toFloat } from '../src/data/transforms/index.js';
import { doctor, formatDoctorReport, type Task } from '../src/doctor/index.js';
import { fmt } from '../src/tensor/errors.js';
import { inputShapeOf, preprocessing, resolveModel } from './inspect.js';

/** Options of `fovea doctor`. */
export interface DoctorCommandOptions {
  data?: string;
  input?: string;
  task?: Task;
  objectSize?: number;
}

/**
 * `fovea doctor MODEL [--data DIR] [--input C,H,W] [--task T] [--object-size N]`: the doctor's
 * report for a zoo name or a saved model folder. The data (its training split, else its test
 * split) is prepared as `fovea eval` prepares it: scaled to [0, 1], and normalized with a saved
 * model's statistics. Returns the number of errors found.
 */
export async function doctorCommand(
  model: string,
  options: DoctorCommandOptions,
  print: (line: string) => void,
): Promise<number> {
  const { module, config } = resolveModel(model);
  const inputShape = inputShapeOf(config, options.input);
  const data = options.data
    ? await loadDataset(options.data, {
        split: detectDataset(options.data).splits.includes('train') ? 'train' : 'test',
        transform: config ? preprocessing(config) : toFloat(),
      })
    : undefined;
  const findings = doctor(module, {
    inputShape,
    data,
    task: options.task,
    objectSize: options.objectSize,
    normalization: config?.normalization,
    pretrained: config !== undefined,
  });
  const about = data ? `, ${data.length} samples from ${options.data}` : ', no data (--data DIR)';
  print(formatDoctorReport(findings, `fovea doctor: ${model}, input ${fmt(inputShape)}${about}`));
  return findings.filter((f) => f.severity === 'error').length;
}
