import type { TypedArray } from '../../backend/dtype.js';
import { check, fmt } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';

/** The dtypes an image may have: uint8 pixels in [0, 255], or floats (usually in [0, 1]). */
export type ImageDType = 'uint8' | 'float32' | 'float64';

/** One image [C, H, W] as the transforms read it: the tensor's own storage, never written. */
export interface Image {
  channels: number;
  height: number;
  width: number;
  dtype: ImageDType;
  data: TypedArray;
}

/** Reads a [C, H, W] uint8 or float tensor as an Image (no copy). */
export function readImage(t: Tensor, op: string): Image {
  check(
    t.ndim === 3 && t.size > 0,
    op,
    () =>
      `expected one non-empty image [C, H, W], got shape ${fmt(t.shape)} ` +
      `(transforms run per sample; mixup and cutmix take batches)`,
  );
  check(
    t.dtype !== 'int32',
    op,
    () => `expected a uint8 or float image, got int32 (convert it with toFloat())`,
  );
  const [channels, height, width] = t.shape;
  return { channels, height, width, dtype: t.dtype, data: t.data };
}

/** The largest pixel value of a dtype: 255 for uint8, 1 for floats (images in [0, 1]). */
export function maxValue(dtype: ImageDType): number {
  return dtype === 'uint8' ? 255 : 1;
}

/** A zeroed buffer for computed pixels: float64 for float64 images, float32 otherwise. */
export function pixelBuffer(dtype: ImageDType, size: number): Float32Array | Float64Array {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/**
 * Pixels computed in a `pixelBuffer(dtype, ...)` as a tensor of the image's dtype, so a pipeline
 * keeps uint8 images uint8 until toFloat: uint8 values are rounded (halves to even) and clamped to
 * [0, 255], as torchvision does.
 */
export function imageTensor(
  pixels: Float32Array | Float64Array,
  shape: readonly number[],
  dtype: ImageDType,
): Tensor {
  // Uint8ClampedArray's conversion is exactly round-half-even with clamping; its bytes are the result.
  if (dtype === 'uint8')
    return new Tensor(new Uint8Array(new Uint8ClampedArray(pixels).buffer), shape, dtype);
  return new Tensor(pixels, shape, dtype);
}
