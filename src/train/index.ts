/** Training: the fit loop, evaluation and prediction, callbacks, checkpoints and metrics. */
export * from './callback.js';
export * from './fit.js';
export * from './train-step.js';
export * from './checkpoint.js';
export * from './metrics.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { JsonLinesLogger } from './callbacks/json-log.js';
export { LRSchedulerCallback, type StepSchedule } from './callbacks/lr-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export { ProgressBar, type ProgressBarOptions } from './callbacks/progress-bar.js';
export { TerminateOnNaN } from './callbacks/terminate-on-nan.js';
