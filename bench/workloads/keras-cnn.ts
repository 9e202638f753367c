/**
 * The classic Keras MNIST CNN on Fashion-MNIST: training steps (batch 64, cross-entropy, Adam 1e-3)
 * and inference (batch 256), in images per second. `--quick` uses batches of 8 and 32.
 */
import type { CnnSpec, Scale, Workload } from '../workload.js';

/**
 * Conv 1→32 3×3 valid, ReLU, Conv 32→64 3×3 valid, ReLU, MaxPool 2, Dropout .25, Flatten,
 * Linear 9216→128, ReLU, Dropout .5, Linear 128→10.
 */
export const KERAS_MNIST_CNN: CnnSpec = {
  imageShape: [1, 28, 28],
  classes: 10,
  layers: [
    { type: 'conv2d', inChannels: 1, outChannels: 32, kernel: 3 },
    { type: 'relu' },
    { type: 'conv2d', inChannels: 32, outChannels: 64, kernel: 3 },
    { type: 'relu' },
    { type: 'maxpool2d', kernel: 2 },
    { type: 'dropout', p: 0.25 },
    { type: 'flatten' },
    { type: 'linear', inFeatures: 9216, outFeatures: 128 },
    { type: 'relu' },
    { type: 'dropout', p: 0.5 },
    { type: 'linear', inFeatures: 128, outFeatures: 10 },
  ],
};

const BATCH = {
  train: { full: 64, quick: 8 },
  infer: { full: 256, quick: 32 },
};

/** The Keras-CNN training and inference workloads at a scale. */
export function kerasCnnWorkloads(scale: Scale): Workload[] {
  const train = BATCH.train[scale];
  const infer = BATCH.infer[scale];
  const full = scale === 'full';
  return [
    {
      name: 'cnn-train',
      title: `Keras CNN training, batch ${train}`,
      task: { kind: 'cnn-train', cnn: KERAS_MNIST_CNN, batch: train, learningRate: 1e-3 },
      unit: 'images/s',
      work: train,
      goal: full ? 600 : undefined,
    },
    {
      name: 'cnn-infer',
      title: `Keras CNN inference, batch ${infer}`,
      task: { kind: 'cnn-infer', cnn: KERAS_MNIST_CNN, batch: infer },
      unit: 'images/s',
      work: infer,
      goal: full ? 1500 : undefined,
    },
  ];
}
