/** The two kernel builds as bytes, embedded by the browser bundle (scripts/build-browser.ts). */
declare module 'fovea:kernel-bytes' {
  /** dist/wasm/fovea-kernels-relaxed.wasm */
  export const relaxed: Uint8Array;
  /** dist/wasm/fovea-kernels.wasm */
  export const simd: Uint8Array;
}
