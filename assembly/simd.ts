// Small SIMD helpers shared by the kernels.

/** acc + a·b, fused where the engine has relaxed SIMD and the module is built with it. */
export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}
