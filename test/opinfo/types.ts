import type { Tensor } from '../../src/tensor/tensor.js';
import type { GradcheckOptions } from '../helpers/gradcheck.js';

/**
 * One op's entry in the OpInfo table (after PyTorch's OpInfo): sample calls that the generic
 * tests gradient-check in float64, and bad calls whose error messages they check.
 */
export interface OpInfo {
  /** The op's name, as the tests report it. */
  name: string;
  /** Sample calls; build inputs in float64 with `randn(shape, { dtype: 'float64' })`. */
  samples: () => Sample[];
  /** Bad calls and the message each must throw (as a FoveaError). */
  errors?: () => ErrorCase[];
}

/** One configuration of an op: its inputs and how to call it. */
export interface Sample {
  /** What is special about this configuration, e.g. 'stride 2, padding same'. */
  label: string;
  inputs: Tensor[];
  call: (...inputs: Tensor[]) => Tensor;
  /** Gradcheck options (e.g. `skip` for integer or non-differentiable inputs). */
  check?: GradcheckOptions;
}

/** A call that must fail with a FoveaError whose message matches. */
export interface ErrorCase {
  label: string;
  call: () => unknown;
  message: RegExp;
}
