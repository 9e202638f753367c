/**
 * The WebAssembly SIMD kernels (sources in assembly/, built into dist/wasm/). Not yet a backend:
 * for now it offers the SGEMM behind `wasmMatmul`; see docs/wasm-backend.md.
 */
export { DEFAULT_F32_GEMM, wasmMatmul } from './matmul.js';
export { F32_GEMM_KERNELS, wasmKernelsPath, type F32GemmKernel } from './kernels.js';
