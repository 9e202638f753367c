/**
 * The data each task runs on, made once per workload and handed to every peer, NCHW: random
 * operands for SGEMM and convolutions, Fashion-MNIST images (scaled to [0, 1]) and labels for the
 * CNN.
 */
import { fashionMnistSample } from '../src/index.js';
import type { Task } from './workload.js';

/** A dense row-major array and its shape. */
export interface Operand {
  data: Float32Array | Int32Array;
  shape: number[];
}

/**
 * Named operands: `a`, `b` (SGEMM); `x`, `weight` (conv2d, weight [out, in/groups, k, k]);
 * `images` [count, C, H, W] and, for training, `labels` [count].
 */
export type Inputs = Record<string, Operand>;

/** Training runs cycle through this many batches of distinct images. */
export const TRAIN_BATCHES = 4;

function uniform(shape: number[]): Operand {
  const data = new Float32Array(shape.reduce((x, y) => x * y, 1));
  for (let i = 0; i < data.length; i++) data[i] = Math.random() - 0.5;
  return { data, shape };
}

/** The first `count` images of a split of the shipped sample, as floats in [0, 1], and labels. */
function fashionMnist(
  split: 'train' | 'test',
  count: number,
): { images: Operand; labels: Operand } {
  const dataset = fashionMnistSample(split);
  const [, ...imageShape] = dataset.inputs.shape;
  const pixels = dataset.inputs.data.subarray(0, count * imageShape.reduce((x, y) => x * y, 1));
  return {
    images: { data: Float32Array.from(pixels, (p) => p / 255), shape: [count, ...imageShape] },
    labels: { data: Int32Array.from(dataset.targets.data.subarray(0, count)), shape: [count] },
  };
}

/** The operands of a task. */
export function taskInputs(task: Task): Inputs {
  switch (task.kind) {
    case 'sgemm':
      return { a: uniform([task.m, task.k]), b: uniform([task.k, task.n]) };
    case 'conv2d': {
      const { batch, inChannels, outChannels, size, kernel, groups } = task;
      return {
        x: uniform([batch, inChannels, size, size]),
        weight: uniform([outChannels, inChannels / groups, kernel, kernel]),
      };
    }
    case 'cnn-train':
      return fashionMnist('train', task.batch * TRAIN_BATCHES);
    case 'cnn-infer':
      return { images: fashionMnist('test', task.batch).images };
  }
}
