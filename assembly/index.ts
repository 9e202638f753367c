// Entry point of fovea's WebAssembly kernels (compiled by `npm run build:wasm`, see asconfig.json).
// Kernel names follow XNNPACK: <dtype>_<op>_<tile>__<isa>.
import { f32_gemm_workspace_bytes, gemm } from './f32-gemm';

export { f32_gemm_workspace_bytes };

/** The first byte of memory free for the caller: operands and scratch go above it. */
export function heap_base(): usize {
  return __heap_base;
}

/** SGEMM on 4×8 register tiles; arguments as `gemm` in f32-gemm.ts. */
export function f32_gemm_4x8__wasmsimd(
  batch: i32,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  strideA: i32,
  b: usize,
  strideB: i32,
  c: usize,
  strideC: i32,
  flags: i32,
  work: usize,
): void {
  gemm(batch, m, n, k, a, strideA, b, strideB, c, strideC, flags, work);
}
