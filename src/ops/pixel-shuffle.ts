import { check, fmt } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { permute } from './permute.js';
import { reshape } from './reshape.js';

/** Checks that x has [*, C, H, W] dims and that `factor` is a positive integer. */
function checkInput(x: Tensor, factor: number, op: string, name: string): void {
  check(
    x.ndim >= 3,
    op,
    () => `expected input of at least 3 dimensions ([*, C, H, W]), got shape ${fmt(x.shape)}`,
  );
  check(
    Number.isInteger(factor) && factor > 0,
    op,
    () => `${name} must be a positive integer, got ${factor}`,
  );
}

/**
 * Moves blocks of channels into space, as `torch.nn.functional.pixel_shuffle` (the sub-pixel
 * convolution upsampler): out[..., c, h·r + i, w·r + j] = x[..., c·r² + i·r + j, h, w].
 * Shape: [*, C·r², H, W] → [*, C, H·r, W·r].
 *
 * @example pixelShuffle(x, 2) // [1, 12, 4, 4] → [1, 3, 8, 8]
 */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const r = upscaleFactor;
  checkInput(x, r, 'pixelShuffle', 'upscaleFactor');
  const [batch, [c, h, w]] = [x.shape.slice(0, -3), x.shape.slice(-3)];
  check(
    c % (r * r) === 0,
    'pixelShuffle',
    () =>
      `channels (${c}) must be divisible by upscaleFactor² = ${r * r}, got input shape ${fmt(x.shape)}`,
  );
  const lead = batch.length;
  const blocks = reshape(x, [...batch, c / (r * r), r, r, h, w]);
  // [*, C, r(i), r(j), H, W] → [*, C, H, r(i), W, r(j)]
  const moved = permute(blocks, [...batch.keys(), lead, lead + 3, lead + 1, lead + 4, lead + 2]);
  return reshape(moved, [...batch, c / (r * r), h * r, w * r]);
}

/**
 * The inverse of `pixelShuffle`, as `torch.nn.functional.pixel_unshuffle`: folds each r×r block
 * of pixels into channels, out[..., c·r² + i·r + j, h, w] = x[..., c, h·r + i, w·r + j].
 * Shape: [*, C, H·r, W·r] → [*, C·r², H, W].
 *
 * @example pixelUnshuffle(x, 2) // [1, 3, 8, 8] → [1, 12, 4, 4]
 */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const r = downscaleFactor;
  checkInput(x, r, 'pixelUnshuffle', 'downscaleFactor');
  const [batch, [c, h, w]] = [x.shape.slice(0, -3), x.shape.slice(-3)];
  check(
    h % r === 0 && w % r === 0,
    'pixelUnshuffle',
    () =>
      `height (${h}) and width (${w}) must be divisible by downscaleFactor = ${r}, got input shape ${fmt(x.shape)}`,
  );
  const lead = batch.length;
  const blocks = reshape(x, [...batch, c, h / r, r, w / r, r]);
  // [*, C, H, r(i), W, r(j)] → [*, C, r(i), r(j), H, W]
  const moved = permute(blocks, [...batch.keys(), lead, lead + 2, lead + 4, lead + 1, lead + 3]);
  return reshape(moved, [...batch, c * r * r, h / r, w / r]);
}
