import type { Backend } from '../backend.js';
import { allocArray } from '../dtype.js';
import { binary, copy, unary, where } from './elementwise.js';
import { gather, resample, resampleBackward, scatterAdd } from './gather.js';
import { col2im, im2col } from './im2col.js';
import { matmul } from './matmul.js';
import { argReduce, reduce } from './reduce.js';
import { windowMax, windowSum, windowSumBackward } from './window.js';

/**
 * The reference backend: plain TypeScript loops over ordinary typed arrays. It is the oracle
 * every faster backend is tested against, so clarity wins over speed here.
 */
export const referenceBackend: Backend = {
  name: 'reference',
  alloc: allocArray,
  unary,
  binary,
  where,
  copy,
  reduce,
  argReduce,
  matmul,
  im2col,
  col2im,
  windowMax,
  windowSum,
  windowSumBackward,
  gather,
  scatterAdd,
  resample,
  resampleBackward,
};
