/** Job kinds: word 0 of a job, as assembly/index.ts dispatches them. */
export const JOB = {
  matmul: 1,
  conv: 2,
  convAdjoint: 3,
  convWeightGrad: 4,
  elementwise: 5,
  window: 6,
  normalize: 7,
  quantize: 8,
  quantizedConv: 9,
  adam: 10,
  sgd: 11,
  rmsprop: 12,
  adagrad: 13,
  convGate: 14,
  logSoftmax: 15,
  logSoftmaxBackward: 16,
  scatterAdd: 17,
  /** Zeroes bytes [word 1, word 1 + word 2): V8's fill of a shared typed array is ~5× slower. */
  zero: 18,
} as const;

/**
 * Below this many flops a job runs on the calling thread alone: waking the workers costs tens of
 * microseconds, which small products do not repay.
 */
export const PARALLEL_FLOPS = 4e6;

const word = new Float32Array(1);
const wordBits = new Int32Array(word.buffer);

/** `value` rounded to f32, as a job word (its bits; the kernel reads it back as an f32). */
export function f32Word(value: number): number {
  word[0] = value;
  return wordBits[0];
}
