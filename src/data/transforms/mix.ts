import { isFloat } from '../../backend/dtype.js';
import { check, fmt } from '../../tensor/errors.js';
import { defaultGenerator, type Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Batch } from '../dataset.js';
import { betaSample } from './beta.js';

/**
 * Options of mixup and cutmix, as torchvision's v2 MixUp and CutMix.
 *
 * @example
 * mixup(batch, { alpha: 0.2, numClasses: 10, generator: new Generator(0) });
 */
export interface MixOptions {
  /** λ ~ Beta(alpha, alpha) (default 1: uniform in [0, 1]). */
  alpha?: number;
  /** Number of classes, to turn class indices into probabilities. */
  numClasses: number;
  /** Draws λ (and cutmix's box) (default: the default generator). */
  generator?: Generator;
}

/**
 * The checked batch, λ, and its targets as probabilities [N, numClasses] (class indices [N] become
 * one-hot rows; probability rows pass through, so cutmix can follow mixup).
 */
function prepare(batch: Batch, options: MixOptions, op: string) {
  const { alpha = 1, numClasses, generator = defaultGenerator } = options;
  const { input, target } = batch;
  check(alpha > 0, op, () => `alpha must be > 0, got ${alpha}`);
  check(
    Number.isInteger(numClasses) && numClasses > 0,
    op,
    () => `numClasses must be a positive integer, got ${numClasses}`,
  );
  check(input.ndim >= 2, op, () => `expected a batch [N, ...], got shape ${fmt(input.shape)}`);
  const n = input.shape[0];
  const indices = target.ndim === 1 && target.shape[0] === n;
  check(
    indices || (target.ndim === 2 && target.shape[0] === n && target.shape[1] === numClasses),
    op,
    () =>
      `targets must be class indices [${n}] or probabilities [${n}, ${numClasses}] for input ` +
      `${fmt(input.shape)}, got shape ${fmt(target.shape)}`,
  );
  const dtype = input.dtype === 'float64' ? 'float64' : 'float32';
  let soft = target;
  if (indices) {
    const data =
      dtype === 'float64' ? new Float64Array(n * numClasses) : new Float32Array(n * numClasses);
    target.data.forEach((y, i) => {
      check(
        Number.isInteger(y) && y >= 0 && y < numClasses,
        op,
        () => `target ${i} is class ${y}, outside 0..${numClasses - 1}`,
      );
      data[i * numClasses + y] = 1;
    });
    soft = new Tensor(data, [n, numClasses], dtype);
  }
  return { input, soft, lambda: betaSample(alpha, alpha, generator), generator };
}

/**
 * λ·a[i] + (1 − λ)·a[i − 1] for each sample i of a batch [N, ...]: each sample is mixed with the
 * one before it (the batch rolled by one, as torchvision's v2; a shuffled loader makes the pairs
 * random).
 */
function mixRolled(a: Tensor, lambda: number): Tensor {
  const n = a.shape[0];
  const per = a.size / n;
  const out = a.dtype === 'float64' ? new Float64Array(a.size) : new Float32Array(a.size);
  for (let i = 0; i < n; i++) {
    const prev = ((i + n - 1) % n) * per;
    for (let k = 0; k < per; k++)
      out[i * per + k] = lambda * a.data[i * per + k] + (1 - lambda) * a.data[prev + k];
  }
  return new Tensor(out, a.shape, a.dtype === 'float64' ? 'float64' : 'float32');
}

/**
 * mixup (Zhang et al., 2018), as torchvision's v2 MixUp: with λ ~ Beta(α, α), each image becomes
 * λ·x[i] + (1 − λ)·x[i − 1] and its target λ·y[i] + (1 − λ)·y[i − 1] (one-hot rows), so the
 * targets are probabilities [N, numClasses], which crossEntropy accepts. Works on a batch (float
 * images [N, ...]), after the loader; in `fit`, pass it as the batch transform.
 *
 * @example
 * await fit(model, loader, {
 *   optimizer,
 *   batchTransform: (batch, generator) => mixup(batch, { alpha: 0.2, numClasses: 10, generator }),
 * });
 */
export function mixup(batch: Batch, options: MixOptions): Batch {
  const { input, soft, lambda } = prepare(batch, options, 'mixup');
  check(
    isFloat(input.dtype),
    'mixup',
    () => `expected float images, got ${input.dtype} (apply toFloat() to the samples first)`,
  );
  return { input: mixRolled(input, lambda), target: mixRolled(soft, lambda) };
}

/**
 * CutMix (Yun et al., 2019), as torchvision's v2 CutMix: with λ ~ Beta(α, α), a box of
 * (1 − λ) of the image area, centred on a random pixel and clipped to the image, is pasted into
 * each image [N, C, H, W] from the one before it; λ is then recomputed as the share of pixels
 * kept, and the targets are λ·y[i] + (1 − λ)·y[i − 1], probabilities [N, numClasses].
 *
 * @example
 * const mixed = cutmix(batch, { numClasses: 10, generator: new Generator(0) });
 * crossEntropy(model.forward(mixed.input), mixed.target);
 */
export function cutmix(batch: Batch, options: MixOptions): Batch {
  const { input, soft, lambda: drawn, generator: g } = prepare(batch, options, 'cutmix');
  check(
    input.ndim === 4,
    'cutmix',
    () => `expected images [N, C, H, W], got shape ${fmt(input.shape)}`,
  );
  const [N, C, H, W] = input.shape;
  const [cx, cy] = [g.integer(0, W), g.integer(0, H)];
  const half = 0.5 * Math.sqrt(1 - drawn);
  const [halfW, halfH] = [Math.floor(half * W), Math.floor(half * H)];
  const [x1, x2] = [Math.max(0, cx - halfW), Math.min(W, cx + halfW)];
  const [y1, y2] = [Math.max(0, cy - halfH), Math.min(H, cy + halfH)];
  const data = input.data.slice();
  for (let n = 0; n < N; n++) {
    const prev = (n + N - 1) % N;
    for (let c = 0; c < C; c++) {
      for (let y = y1; y < y2; y++) {
        const row = ((n * C + c) * H + y) * W;
        const from = ((prev * C + c) * H + y) * W;
        data.set(input.data.subarray(from + x1, from + x2), row + x1);
      }
    }
  }
  const lambda = 1 - ((x2 - x1) * (y2 - y1)) / (H * W);
  return { input: new Tensor(data, input.shape, input.dtype), target: mixRolled(soft, lambda) };
}
