// Entry point of fovea's WebAssembly kernels (compiled by `npm run build:wasm`, see asconfig.json).
// The module imports one shared memory; the pool instantiates it once per thread. Kernels run as
// jobs (job.ts): the caller writes a job's words, and every thread calls `run_job`.
// Kernel names follow XNNPACK: <dtype>_<op>_<tile>__<isa>.
import { f32_gemm_workspace_bytes } from './f32-gemm';
import {
  f32_conv_adjoint_job,
  f32_conv_gate_job,
  f32_conv_job,
  f32_conv_weight_job,
} from './f32-conv';
import { f32_matmul_job } from './f32-matmul';
import { elementwise_job } from './elementwise';
import { window_job } from './window';
import { normalize_job } from './normalize';
import { qu8_conv_job, qu8_quantize_job } from './qu8-conv';
import { adagrad_job, adam_job, rmsprop_job, sgd_job } from './optim';
import { log_softmax_backward_job, log_softmax_job } from './softmax';
import { f32_scatter_add_job } from './scatter';
import { ptr } from './job';

export { f32_gemm_workspace_bytes };

/** The first byte of memory free for the caller: the job, scratch and operands go above it. */
export function heap_base(): usize {
  return __heap_base;
}

/** Job kinds (word 0 of a job). */
const MATMUL = 1;
const CONV = 2;
const CONV_ADJOINT = 3;
const CONV_WEIGHT = 4;
const ELEMENTWISE = 5;
const WINDOW = 6;
const NORMALIZE = 7;
const QUANTIZE = 8;
const QUANTIZED_CONV = 9;
const ADAM = 10;
const SGD = 11;
const RMSPROP = 12;
const ADAGRAD = 13;
const CONV_GATE = 14;
const LOG_SOFTMAX = 15;
const LOG_SOFTMAX_BACKWARD = 16;
const SCATTER_ADD = 17;
const ZERO = 18;

/** Runs this thread's share of the job at `job`; `work` is this thread's scratch memory. */
export function run_job(job: usize, thread: i32, threads: i32, work: usize): void {
  const kind = load<i32>(job);
  if (kind == MATMUL) f32_matmul_job(job, thread, threads, work);
  else if (kind == CONV) f32_conv_job(job, thread, threads, work);
  else if (kind == CONV_ADJOINT) f32_conv_adjoint_job(job, thread, threads, work);
  else if (kind == CONV_WEIGHT) f32_conv_weight_job(job, thread, threads, work);
  else if (kind == ELEMENTWISE) elementwise_job(job, thread, threads);
  else if (kind == WINDOW) window_job(job, thread, threads);
  else if (kind == NORMALIZE) normalize_job(job, thread, threads);
  else if (kind == QUANTIZE) qu8_quantize_job(job, thread, threads);
  else if (kind == QUANTIZED_CONV) qu8_conv_job(job, thread, threads, work);
  else if (kind == ADAM) adam_job(job, thread, threads);
  else if (kind == SGD) sgd_job(job, thread, threads);
  else if (kind == RMSPROP) rmsprop_job(job, thread, threads);
  else if (kind == ADAGRAD) adagrad_job(job, thread, threads);
  else if (kind == CONV_GATE) f32_conv_gate_job(job, thread, threads);
  else if (kind == LOG_SOFTMAX) log_softmax_job(job, thread, threads);
  else if (kind == LOG_SOFTMAX_BACKWARD) log_softmax_backward_job(job, thread, threads);
  else if (kind == SCATTER_ADD) f32_scatter_add_job(job, thread, threads);
  else if (kind == ZERO) memory.fill(ptr(job, 1), 0, ptr(job, 2));
  else unreachable();
}
