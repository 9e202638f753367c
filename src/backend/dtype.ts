/** The element types a tensor can hold. float64 exists for gradient checks on the reference backend. */
export type DType = 'float32' | 'float64' | 'int32' | 'uint8';

/** A contiguous typed array of one of the supported element types. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A typed array of a floating-point type. */
export type FloatArray = Float32Array | Float64Array;

/** The typed-array constructor of each dtype. */
export const arrayConstructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
} as const;

/** Allocates a zero-filled typed array of `size` elements of `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  return new arrayConstructors[dtype](size);
}

/** A typed array of `dtype` over `length` elements of `buffer` from byte `byteOffset` (no copy). */
export function arrayView(
  dtype: DType,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): TypedArray {
  const View = arrayConstructors[dtype] as new (
    b: ArrayBufferLike,
    at: number,
    n: number,
  ) => TypedArray;
  return new View(buffer, byteOffset, length);
}

/** The dtype that matches a typed array. */
export function dtypeOf(array: TypedArray): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  return 'uint8';
}

/** Whether `dtype` is a floating-point type (only those carry gradients). */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

const rank: Record<DType, number> = { uint8: 0, int32: 1, float32: 2, float64: 3 };

/** The dtype of an arithmetic result, as PyTorch promotes: uint8 < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}
