/**
 * What a benchmark workload is: a task described as plain data (sizes, layers), so that every
 * peer — fovea, TensorFlow.js, ONNX Runtime, PyTorch — builds and runs it from the same
 * description, and how its speed is counted and judged.
 */

/** C = A·B, A [m, k], B [k, n], float32 row-major. */
export interface SgemmTask {
  kind: 'sgemm';
  m: number;
  n: number;
  k: number;
}

/** One 2-D convolution forward pass, x [batch, inChannels, size, size], stride 1, no bias. */
export interface ConvTask {
  kind: 'conv2d';
  batch: number;
  inChannels: number;
  outChannels: number;
  size: number;
  kernel: number;
  padding: number;
  groups: number;
}

/** One layer of a sequential CNN, in PyTorch's terms (Conv2d has stride 1 and no padding). */
export type LayerSpec =
  | { type: 'conv2d'; inChannels: number; outChannels: number; kernel: number }
  | { type: 'relu' }
  | { type: 'maxpool2d'; kernel: number }
  | { type: 'dropout'; p: number }
  | { type: 'flatten' }
  | { type: 'linear'; inFeatures: number; outFeatures: number };

/** The layers that may carry the ReLU after them (Keras's `activation='relu'`). */
type ActivatedSpec = Extract<LayerSpec, { type: 'conv2d' | 'linear' }>;

/** A layer as a library with fused bias + ReLU builds it (Keras's `activation='relu'`). */
export type FusedLayerSpec =
  Exclude<LayerSpec, ActivatedSpec> | (ActivatedSpec & { relu: boolean });

/**
 * The layers with every conv2d → relu and linear → relu pair as one layer with `relu` set, as the
 * Keras model is written (`Conv2D(32, 3, activation='relu')`, `Dense(128, activation='relu')`);
 * for the peers whose convs and products take an activation.
 */
export function fuseRelu(layers: readonly LayerSpec[]): FusedLayerSpec[] {
  const fused: FusedLayerSpec[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    if (layer.type !== 'conv2d' && layer.type !== 'linear') {
      fused.push(layer);
      continue;
    }
    const relu = layers[i + 1]?.type === 'relu';
    fused.push({ ...layer, relu });
    if (relu) i++; // the relu is now part of the layer
  }
  return fused;
}

/** A sequential CNN over grey 28×28 images and 10 classes (Fashion-MNIST). */
export interface CnnSpec {
  layers: LayerSpec[];
  /** [channels, height, width] of one image. */
  imageShape: [number, number, number];
  classes: number;
}

/**
 * Training steps of a CNN: per run one forward pass, cross-entropy, backward pass and Adam step
 * on the next batch of Fashion-MNIST images, in training mode (dropout on).
 */
export interface CnnTrainTask {
  kind: 'cnn-train';
  cnn: CnnSpec;
  batch: number;
  learningRate: number;
}

/** Inference of a CNN: per run one forward pass over a batch, in evaluation mode, no gradients. */
export interface CnnInferTask {
  kind: 'cnn-infer';
  cnn: CnnSpec;
  batch: number;
}

/** Any task a peer may be asked to run. */
export type Task = SgemmTask | ConvTask | CnnTrainTask | CnnInferTask;

/** How a workload's speed is counted: floating-point work or images, per second. */
export type Unit = 'GFLOP/s' | 'images/s';

/** A named task with how much work one run does and the speed fovea must reach (issue 4). */
export interface Workload {
  /** Short stable name for `--only` and the JSON (the same in `--quick` mode). */
  name: string;
  /** What runs, with its sizes (`--quick` sizes show here). */
  title: string;
  task: Task;
  unit: Unit;
  /** Work in one run: flops (2 per multiply-add) for GFLOP/s, images for images/s. */
  work: number;
  /** The goal for fovea in `unit`; absent in `--quick` mode, where sizes are smaller. */
  goal?: number;
}

/** Workload sizes: the issue's, or smaller ones for a smoke test (`--quick`). */
export type Scale = 'full' | 'quick';

/** Speed of one run of `workload` taking `ms` milliseconds, in its unit. */
export function rate(workload: Workload, ms: number): number {
  const perSecond = workload.work / (ms / 1000);
  return workload.unit === 'GFLOP/s' ? perSecond / 1e9 : perSecond;
}
