/**
 * The WebAssembly SIMD backend: the reference backend with its heavy kernels (matmul and the
 * three convolution maps, the elementwise ops, pooling, the norm layers' normalization and the
 * optimizer updates) replaced by AssemblyScript kernels (assembly/) that run on a pool of
 * threads over one shared memory. See docs/wasm-backend.md.
 */
import type { Backend } from '../backend.js';
import { referenceBackend } from '../reference/index.js';
import { wasmConv, wasmConvAdjoint, wasmConvBackward, wasmConvWeightGrad } from './conv.js';
import { wasmBinary, wasmCopy, wasmUnary, wasmWhere } from './elementwise.js';
import { wasmMatmul } from './matmul.js';
import { wasmNormalize, wasmNormalizeBackward } from './normalize.js';
import { wasmAdagradUpdate, wasmAdamUpdate, wasmRmspropUpdate, wasmSgdUpdate } from './optim.js';
import { wasmQuantizedConv } from './quantized-conv.js';
import { wasmLogSoftmax, wasmLogSoftmaxBackward } from './softmax.js';
import { wasmWindowMax, wasmWindowSum, wasmWindowSumBackward } from './window.js';

/** The `wasm` backend; float32 kernels run in WebAssembly, everything else as `reference`. */
export const wasmBackend: Backend = {
  ...referenceBackend,
  name: 'wasm',
  unary: wasmUnary,
  binary: wasmBinary,
  where: wasmWhere,
  copy: wasmCopy,
  matmul: wasmMatmul,
  logSoftmax: wasmLogSoftmax,
  logSoftmaxBackward: wasmLogSoftmaxBackward,
  conv: wasmConv,
  convAdjoint: wasmConvAdjoint,
  convWeightGrad: wasmConvWeightGrad,
  convBackward: wasmConvBackward,
  quantizedConv: wasmQuantizedConv,
  normalize: wasmNormalize,
  normalizeBackward: wasmNormalizeBackward,
  windowMax: wasmWindowMax,
  windowSum: wasmWindowSum,
  windowSumBackward: wasmWindowSumBackward,
  adamUpdate: wasmAdamUpdate,
  sgdUpdate: wasmSgdUpdate,
  rmspropUpdate: wasmRmspropUpdate,
  adagradUpdate: wasmAdagradUpdate,
};

export { wasmMatmul } from './matmul.js';
export { threadCount } from './pool.js';
import { pool } from './pool.js';
export { wasmKernelsPath } from './kernels.js';

/** How the wasm backend runs here: its instruction set and thread count (starts the pool). */
export function wasmInfo(): { isa: 'simd' | 'relaxed-simd'; threads: number } {
  const { threads, wasm } = pool();
  return { isa: wasm.isa, threads };
}
