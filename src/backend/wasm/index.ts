/**
 * The WebAssembly SIMD backend: the reference backend with its heavy kernels (matmul and the
 * three convolution maps, the elementwise ops, pooling, the norm layers' normalization and the
 * optimizer updates) replaced by AssemblyScript kernels (assembly/) that run on a pool of
 * threads over one shared memory. See docs/wasm-backend.md.
 */
import type { Backend } from '../backend.js';
import { referenceBackend } from '../reference/index.js';
import { release, residentAlloc, residentMemory } from './arena.js';
import { wasmConv, wasmConvAdjoint, wasmConvBackward, wasmConvWeightGrad } from './conv.js';
import { wasmBinary, wasmCopy, wasmUnary, wasmWhere } from './elementwise.js';
import { wasmMatmul } from './matmul.js';
import { wasmNormalize, wasmNormalizeBackward } from './normalize.js';
import { wasmAdagradUpdate, wasmAdamUpdate, wasmRmspropUpdate, wasmSgdUpdate } from './optim.js';
import { wasmQuantizedConv } from './quantized-conv.js';
import { wasmScatterAdd } from './scatter.js';
import { wasmLogSoftmax, wasmLogSoftmaxBackward } from './softmax.js';
import { wasmWindowMax, wasmWindowSum, wasmWindowSumBackward } from './window.js';

/** The `wasm` backend; float32 kernels run in WebAssembly, everything else as `reference`. */
export const wasmBackend: Backend = {
  ...referenceBackend,
  name: 'wasm',
  allocScoped: residentAlloc,
  release,
  memory() {
    const inJavaScript = referenceBackend.memory!();
    const resident = residentMemory();
    return {
      liveBuffers: inJavaScript.liveBuffers + resident.liveBlocks,
      liveBytes: inJavaScript.liveBytes + resident.liveBytes,
    };
  },
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
  scatterAdd: wasmScatterAdd,
  adamUpdate: wasmAdamUpdate,
  sgdUpdate: wasmSgdUpdate,
  rmspropUpdate: wasmRmspropUpdate,
  adagradUpdate: wasmAdagradUpdate,
};

export { wasmMatmul } from './matmul.js';
export { threadCount } from './host.js';
import type { Isa } from './host-api.js';
import { pool, startPool, type Pool } from './pool.js';

/** How the wasm backend runs here: its kernels' instruction set and its number of threads. */
export interface WasmInfo {
  isa: Isa;
  threads: number;
}

const info = ({ threads, wasm }: Pool): WasmInfo => ({ isa: wasm.isa, threads });

/** How the wasm backend runs here (starts it, synchronously, where the host allows: Node). */
export function wasmInfo(): WasmInfo {
  return info(pool());
}

/**
 * Starts the wasm backend without blocking: compiles its kernels and starts its threads (one
 * per core unless `threads` or, in Node, `FOVEA_THREADS` says otherwise). A browser must await
 * it before the first op, since browsers compile and start workers only asynchronously; in Node
 * it is optional (the backend starts on first use). Resolves to how the backend runs.
 *
 * @example
 * const { isa, threads } = await ready();
 */
export async function ready(options: { threads?: number } = {}): Promise<WasmInfo> {
  return info(await startPool(options.threads));
}
