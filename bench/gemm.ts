/**
 * SGEMM benchmark: C = A·B on square float32 matrices, GFLOP/s (2·n³ flops per product), the
 * median of several timed runs after warm-up runs, for fovea's WebAssembly kernels (one thread,
 * each SGEMM variant), fovea's reference backend and TensorFlow.js on its wasm backend.
 *
 *   npm run bench                             # 512³ and 1024³
 *   npm run bench -- --sizes 256,512 --runs 9 --json gemm.json --only 4x8   # --only: a name filter
 *
 * fovea's timings include copying the operands into the module's memory and the result out.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { MatmulArgs } from '../src/backend/backend.js';
import { matmul as referenceMatmul } from '../src/backend/reference/matmul.js';
import { F32_GEMM_KERNELS, wasmMatmul } from '../src/backend/wasm/index.js';

interface Contestant {
  name: string;
  /** Prepares the operands of one size; returns the product to time. */
  setup(n: number, a: Float32Array, b: Float32Array): () => void;
  teardown?(): void;
}

interface Result {
  name: string;
  n: number;
  medianMs: number;
  gflops: number;
  runs: number;
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const sizes = option('sizes', '512,1024').split(',').map(Number);
const runs = Math.max(5, Number(option('runs', '5')));
const warmup = Number(option('warmup', '2'));
const jsonFile = option('json', '');
const only = option('only', '');

function args(n: number, a: Float32Array, b: Float32Array, out: Float32Array): MatmulArgs {
  const operand = (data: Float32Array) => ({ data, offset: 0, batchStride: 0 });
  return {
    batch: 1,
    m: n,
    n,
    k: n,
    a: operand(a),
    b: operand(b),
    out: operand(out),
    transA: false,
    transB: false,
    accumulate: false,
  };
}

const contestants: Contestant[] = [
  ...F32_GEMM_KERNELS.map((kernel): Contestant => ({
    name: `fovea ${kernel} (1 thread)`,
    setup(n, a, b) {
      const product = args(n, a, b, new Float32Array(n * n));
      return () => wasmMatmul(product, kernel);
    },
  })),
  {
    name: 'fovea reference (plain TS)',
    setup(n, a, b) {
      const product = args(n, a, b, new Float32Array(n * n));
      return () => referenceMatmul(product);
    },
  },
];

// TensorFlow.js on its wasm backend, when its dev dependencies are installed.
try {
  const tf = await import('@tensorflow/tfjs-core');
  const tfWasm = await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  await tf.ready();
  let tensors: { dispose(): void }[] = [];
  contestants.push({
    name: `tfjs-backend-wasm matMul (${tfWasm.getThreadsCount()} thread(s))`,
    setup(n, a, b) {
      const [ta, tb] = [tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])];
      tensors = [ta, tb];
      return () => {
        const c = tf.matMul(ta, tb);
        c.dataSync();
        c.dispose();
      };
    },
    teardown() {
      for (const t of tensors) t.dispose();
    },
  });
} catch (error) {
  console.log(`(TensorFlow.js wasm skipped: ${(error as Error).message})`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

console.log(
  `SGEMM C = A·B, float32, median of ${runs} runs after ${warmup} warm-up; ` +
    `Node ${process.version}, ${availableParallelism()} cores`,
);
const results: Result[] = [];
const chosen = contestants.filter((c) => c.name.includes(only));
for (const n of sizes) {
  const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const flops = 2 * n * n * n;
  for (const contestant of chosen) {
    const run = contestant.setup(n, a, b);
    for (let i = 0; i < warmup; i++) run();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      run();
      times.push(performance.now() - start);
    }
    contestant.teardown?.();
    const ms = median(times);
    results.push({ name: contestant.name, n, medianMs: ms, gflops: flops / ms / 1e6, runs });
  }
}

const best = (n: number) =>
  Math.max(...results.filter((r) => r.n === n && r.name.startsWith('fovea')).map((r) => r.gflops));
const width = Math.max(...results.map((r) => r.name.length));
console.log(
  `${'size'.padEnd(6)} ${'implementation'.padEnd(width)} ${'ms'.padStart(9)} ` +
    `${'GFLOP/s'.padStart(8)} ${'best fovea ÷ this'.padStart(18)}`,
);
for (const r of results) {
  console.log(
    `${`${r.n}³`.padEnd(6)} ${r.name.padEnd(width)} ${r.medianMs.toFixed(1).padStart(9)} ` +
      `${r.gflops.toFixed(2).padStart(8)} ${`${(best(r.n) / r.gflops).toFixed(2)}×`.padStart(18)}`,
  );
}
if (jsonFile) {
  writeFileSync(jsonFile, JSON.stringify({ node: process.version, results }, null, 2));
  console.log(`wrote ${jsonFile}`);
}
