// Small SIMD helpers shared by the kernels.

/** acc + a·b, fused where the engine has relaxed SIMD and the module is built with it. */
export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * min(max(v, lo), hi) lane-wise: a conv's fused activation (ReLU: lo 0, hi +∞; ReLU6: 0 and 6;
 * none: ±∞, which changes nothing). NaN stays NaN and −0 becomes +0 under lo = 0, as the relu op.
 */
export function clamp4(v: v128, lo: v128, hi: v128): v128 {
  return f32x4.min(f32x4.max(v, lo), hi);
}
