import { check, fmt } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';

/** An image as the transforms see it: float pixels in a plain array, with its size. */
export interface Image {
  channels: number;
  height: number;
  width: number;
  /** [C, H, W] row-major. */
  data: Float32Array;
}

/** Reads a [C, H, W] tensor (any dtype) as an Image, without changing its values. */
export function readImage(t: Tensor, op: string): Image {
  check(t.ndim === 3, op, () => `expected one image [C, H, W], got shape ${fmt(t.shape)}`);
  const [channels, height, width] = t.shape;
  return { channels, height, width, data: Float32Array.from(t.data) };
}

/** The image as a float32 [C, H, W] tensor. */
export function toTensor(image: Image): Tensor {
  return new Tensor(image.data, [image.channels, image.height, image.width], 'float32');
}

/** A [C, H, W] float32 image of the given size filled with `fill`. */
export function blankImage(channels: number, height: number, width: number, fill = 0): Image {
  return { channels, height, width, data: new Float32Array(channels * height * width).fill(fill) };
}
