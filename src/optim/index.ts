/**
 * Optimizers, learning-rate schedules and gradient clipping, after `torch.optim` and
 * `torch.nn.utils.clip_grad_*`.
 *
 * @example
 * import { AdamW, CosineAnnealingLR, clipGradNorm } from 'fovea';
 */
export {
  Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupSpec,
  type Params,
  type ParamState,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { LRScheduler, type SchedulerStateDict } from './schedule.js';
export {
  StepLR,
  MultiStepLR,
  ExponentialLR,
  type StepLROptions,
  type MultiStepLROptions,
  type ExponentialLROptions,
} from './schedule-step.js';
export {
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  type CosineAnnealingLROptions,
  type CosineAnnealingWarmRestartsOptions,
} from './schedule-cosine.js';
export { OneCycleLR, type OneCycleLROptions } from './schedule-one-cycle.js';
export { LinearLR, type LinearLROptions } from './schedule-linear.js';
export { SequentialLR, type SequentialLROptions } from './schedule-sequential.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedule-plateau.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip.js';
