/**
 * Datasets and loading: the Dataset interface, TensorDataset, DataLoader, and readers for IDX
 * (MNIST family), CIFAR binary, image folders and .npy, plus the shipped Fashion-MNIST sample.
 * Every reader keeps images as uint8 [C, H, W] in memory; scaling, normalization and
 * augmentation are per-sample transforms.
 *
 * @example
 * import { DataLoader, fashionMnistSample } from 'fovea';
 * const loader = new DataLoader(fashionMnistSample('train'), { batchSize: 64, shuffle: true });
 */
export type { Batch, Dataset, Sample, SampleTransform } from './dataset.js';
export * from './tensor-dataset.js';
export * from './loader.js';
export * from './idx.js';
export * from './mnist.js';
export * from './cifar.js';
export * from './image-folder.js';
export * from './npy-dataset.js';
export * from './fashion-mnist.js';
export * from './detect.js';
