import { loadNpy } from '../io/npy.js';
import { cast } from '../ops/cast.js';
import { check, fmt } from '../tensor/errors.js';
import type { SampleTransform } from './dataset.js';
import { TensorDataset } from './tensor-dataset.js';

/** Options of `loadNpyDataset`. */
export interface NpyDatasetOptions {
  /** Applied to each sample in `get`. */
  transform?: SampleTransform;
  /** Class names (index = class id); integer targets are then checked against them. */
  classes?: readonly string[];
}

/**
 * A dataset from two `.npy` files, inputs [N, ...] and targets [N, ...] (e.g. `np.save` of
 * `x_train` and `y_train`). Targets saved as uint8 (`u1`, `b1`) become int32 class ids, as
 * losses expect; other dtypes are kept as `loadNpy` reads them.
 *
 * @example
 * // python: np.save('x.npy', images.astype('u1')); np.save('y.npy', labels.astype('i8'))
 * const data = loadNpyDataset('x.npy', 'y.npy'); // inputs uint8 [N, 1, 28, 28], targets int32 [N]
 */
export function loadNpyDataset(
  inputsPath: string,
  targetsPath: string,
  options: NpyDatasetOptions = {},
): TensorDataset {
  const inputs = loadNpy(inputsPath);
  const loaded = loadNpy(targetsPath);
  const targets = loaded.dtype === 'uint8' ? cast(loaded, 'int32') : loaded;
  check(
    inputs.ndim >= 1 && targets.ndim >= 1 && inputs.shape[0] === targets.shape[0],
    'loadNpyDataset',
    () =>
      `${inputsPath} has shape ${fmt(inputs.shape)} but ${targetsPath} has ${fmt(targets.shape)}; ` +
      `both need the number of samples as their first dimension`,
  );
  return new TensorDataset(inputs, targets, options);
}
