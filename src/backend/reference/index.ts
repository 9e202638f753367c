import type { Backend } from '../backend.js';
import { conv, convAdjoint, convBackward, convWeightGrad } from './conv.js';
import { binary, copy, unary, where } from './elementwise.js';
import { gather, resample, resampleBackward, scatterAdd } from './gather.js';
import { col2im, im2col } from './im2col.js';
import { matmul } from './matmul.js';
import { normalize, normalizeBackward } from './normalize.js';
import { adagradUpdate, adamUpdate, rmspropUpdate, sgdUpdate } from './optim.js';
import { liveMemory, trackedAlloc } from './memory.js';
import { quantizedConv } from './quantized-conv.js';
import { argReduce, reduce } from './reduce.js';
import { logSoftmax, logSoftmaxBackward } from './softmax.js';
import { windowMax, windowSum, windowSumBackward } from './window.js';

/**
 * The reference backend: plain TypeScript loops over ordinary typed arrays. It is the oracle
 * every faster backend is tested against, so clarity wins over speed here.
 */
export const referenceBackend: Backend = {
  name: 'reference',
  alloc: trackedAlloc,
  memory: liveMemory,
  unary,
  binary,
  where,
  copy,
  reduce,
  argReduce,
  logSoftmax,
  logSoftmaxBackward,
  matmul,
  conv,
  convAdjoint,
  convBackward,
  convWeightGrad,
  quantizedConv,
  normalize,
  normalizeBackward,
  im2col,
  col2im,
  windowMax,
  windowSum,
  windowSumBackward,
  gather,
  scatterAdd,
  resample,
  resampleBackward,
  adamUpdate,
  sgdUpdate,
  rmspropUpdate,
  adagradUpdate,
};
