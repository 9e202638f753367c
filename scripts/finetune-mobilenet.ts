/**
 * Fine-tuning an imported ONNX model, end to end: MobileNetV2 (torchvision's, exported to ONNX)
 * is imported as a fovea Module, its backbone frozen, its 1000-class head replaced by a 10-class
 * linear layer, which is trained on Fashion-MNIST images (grey 28×28, upsampled to 3×64×64); the
 * result is exported to ONNX and run in ONNX Runtime, whose outputs must match fovea's.
 *
 *   npx tsx scripts/finetune-mobilenet.ts [model.onnx]   (about 2 minutes on 2 cores)
 *
 * The default model is ../shared/fixtures/models/mobilenet_v2/model.onnx: torchvision's MobileNetV2
 * with its random initial weights, exported with the batch norms folded into the convolutions.
 * Through those weights the pooled features shrink to about 1e-9, so only the head's bias learns
 * (the class frequencies: the loss falls slowly and the accuracy stays near chance); the pipeline
 * is what this run shows. Pass a pretrained MobileNetV2 .onnx file for real transfer learning.
 */
import * as ort from 'onnxruntime-node';
import { fileURLToPath } from 'node:url';
import {
  Adam,
  concat,
  crossEntropy,
  exportOnnx,
  fashionMnistSample,
  importOnnx,
  interpolate,
  kaimingUniform,
  manualSeed,
  noGrad,
  slice,
  zeros,
  type OnnxModel,
  type Tensor,
} from '../src/index.js';

/** Options of `finetuneMobilenet`. */
export interface FinetuneOptions {
  /** The MobileNetV2 .onnx file (torchvision's export: input [N, 3, H, W], head `classifier.1`). */
  model: string;
  /** Training images (the first ones of the shipped Fashion-MNIST sample). */
  trainImages: number;
  /** Test images scored after training. */
  testImages: number;
  /** Side of the square RGB images fed to the network. */
  size: number;
  epochs: number;
  batchSize: number;
  /** Learning rate of Adam. */
  lr: number;
  /** Where to write the fine-tuned model (default: only kept in memory). */
  onnxFile?: string;
}

/** What `finetuneMobilenet` measured. */
export interface FinetuneResult {
  /** Mean training loss of each epoch. */
  losses: number[];
  /** fovea's accuracy on the test images. */
  accuracy: number;
  /** max |ORT − fovea| over the test logits, divided by their largest |value|. */
  ortRelativeDiff: number;
  /** Whether ORT predicts the same class as fovea for every test image. */
  samePredictions: boolean;
  /** The parameters training changed (the new head's, as the backbone is frozen). */
  changed: string[];
}

const DEFAULTS: FinetuneOptions = {
  model: fileURLToPath(
    new URL('../../shared/fixtures/models/mobilenet_v2/model.onnx', import.meta.url),
  ),
  trainImages: 512,
  testImages: 256,
  size: 64,
  epochs: 3,
  batchSize: 32,
  lr: 3e-3,
};
/** ImageNet's per-channel statistics, which torchvision's MobileNetV2 expects. */
const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** The first `count` Fashion-MNIST images as normalized RGB [count, 3, size, size], and labels. */
function imagesOf(split: 'train' | 'test', count: number, size: number) {
  const data = fashionMnistSample(split);
  const grey = slice(data.inputs, 0, 0, count).float().div(255);
  const resized = interpolate(grey, { size: [size, size], mode: 'bilinear' });
  const channels = IMAGENET.mean.map((m, c) => resized.sub(m).div(IMAGENET.std[c]));
  return { images: concat(channels, 1), labels: slice(data.targets, 0, 0, count) };
}

/** Freezes every imported weight and puts a new trainable 10-class head in `classifier.1`. */
function replaceHead(model: OnnxModel): void {
  const [weight, old] =
    model.namedParameters().find(([n]) => n.endsWith('classifier.1.weight')) ?? [];
  if (!weight || !old)
    throw new Error('the model has no classifier.1 head (torchvision MobileNetV2?)');
  model.freeze();
  model.replaceInitializer(weight, kaimingUniform([10, old.shape[1]]));
  model.replaceInitializer(weight.replace(/weight$/, 'bias'), zeros([10]));
}

/** Runs the exported model in ONNX Runtime on `images`; returns its logits. */
async function ortLogits(bytes: Uint8Array, images: Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const input = new ort.Tensor('float32', images.data as Float32Array, [...images.shape]);
  const result = await session.run({ [session.inputNames[0]]: input });
  return result[session.outputNames[0]].data as Float32Array;
}

function argmaxRows(values: ArrayLike<number>, classes: number): number[] {
  return Array.from({ length: values.length / classes }, (_, n) => {
    let best = 0;
    for (let k = 1; k < classes; k++)
      if (values[n * classes + k] > values[n * classes + best]) best = k;
    return best;
  });
}

/**
 * Imports, fine-tunes the new head, exports, and checks the export in ONNX Runtime. The frozen
 * backbone stays in eval mode (its batch norms keep their statistics), so only the head learns.
 */
export async function finetuneMobilenet(
  given: Partial<FinetuneOptions> = {},
): Promise<FinetuneResult> {
  const o = { ...DEFAULTS, ...given };
  manualSeed(0);
  const model = importOnnx(o.model);
  const train = imagesOf('train', o.trainImages, o.size);
  replaceHead(model);
  model.eval();
  const before = new Map(model.namedParameters().map(([name, p]) => [name, p.clone()]));
  const trainable = model.parameters().filter((p) => p.requiresGrad);
  const optimizer = new Adam(trainable, { lr: o.lr });
  const losses: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    let total = 0;
    for (let from = 0; from < o.trainImages; from += o.batchSize) {
      const to = Math.min(from + o.batchSize, o.trainImages);
      const images = slice(train.images, 0, from, to);
      const loss = crossEntropy(model.forward(images), slice(train.labels, 0, from, to));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      total += loss.item() * (to - from);
    }
    losses.push(total / o.trainImages);
  }

  const test = imagesOf('test', o.testImages, o.size);
  const logits = noGrad(() => model.forward(test.images));
  const predictions = argmaxRows(logits.data, 10);
  const labels = Array.from(test.labels.data);
  const accuracy = predictions.filter((p, i) => p === labels[i]).length / labels.length;

  const bytes = exportOnnx(model, { inputShape: [3, o.size, o.size], file: o.onnxFile });
  const fromOrt = await ortLogits(bytes, test.images);
  let diff = 0;
  let scale = 0;
  fromOrt.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(v - logits.data[i]));
    scale = Math.max(scale, Math.abs(logits.data[i]));
  });
  const samePredictions = argmaxRows(fromOrt, 10).every((p, i) => p === predictions[i]);
  const changed = model
    .namedParameters()
    .filter(([name, p]) => p.data.some((v, i) => v !== before.get(name)!.data[i]))
    .map(([name]) => name);
  return { losses, accuracy, ortRelativeDiff: diff / scale, samePredictions, changed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const model = process.argv[2] ?? DEFAULTS.model;
  const started = Date.now();
  const result = await finetuneMobilenet({ model, onnxFile: 'mobilenet_v2-fashion.onnx' });
  console.log(`epoch losses: ${result.losses.map((l) => l.toFixed(3)).join(', ')}`);
  console.log(`test accuracy (fovea): ${(100 * result.accuracy).toFixed(1)}%`);
  console.log(
    `ONNX Runtime vs fovea: relative max diff ${result.ortRelativeDiff.toExponential(2)}, same predictions: ${result.samePredictions}`,
  );
  console.log(`wrote mobilenet_v2-fashion.onnx in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
