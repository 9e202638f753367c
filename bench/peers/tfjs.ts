/**
 * TensorFlow.js (`@tensorflow/tfjs-core`) on its cpu (plain JavaScript) or wasm backend. It runs
 * NHWC, its native layout (its convolutions do not implement NCHW), on operands of the same sizes,
 * and has no grouped convolution other than depthwise.
 */
import type * as Tf from '@tensorflow/tfjs-core';
import type { Runner } from '../harness.js';
import { TRAIN_BATCHES, type Inputs, type Operand } from '../inputs.js';
import type { NotApplicable, Peer } from '../peer.js';
import { fuseRelu, type CnnSpec, type ConvTask, type Workload } from '../workload.js';

type TfModule = typeof Tf;
type Layer = (x: Tf.Tensor, training: boolean) => Tf.Tensor;

/** [N, C, H, W] as tfjs's [N, H, W, C]: the same values, read in the other layout. */
const nhwc = ([n, c, h, w]: number[]): number[] => [n, h, w, c];

/** Waits for a result's values (`dataSync`), then frees it. */
function synced(t: Tf.Tensor): void {
  t.dataSync();
  t.dispose();
}

/** A CNN as tfjs ops: the layers, and the variables they train (He-initialized weights). */
function cnn(tf: TfModule, spec: CnnSpec): { forward: Layer; variables: Tf.Variable[] } {
  const variables: Tf.Variable[] = [];
  const weightAndBias = (shape: number[], fanIn: number) => {
    const weight = tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn)));
    const bias = tf.variable(tf.zeros([shape[shape.length - 1]]));
    variables.push(weight, bias);
    return [weight, bias];
  };
  const layers = fuseRelu(spec.layers).map((layer): Layer => {
    switch (layer.type) {
      case 'conv2d': {
        const { kernel, inChannels, outChannels, relu } = layer;
        const [w, b] = weightAndBias(
          [kernel, kernel, inChannels, outChannels],
          inChannels * kernel ** 2,
        );
        // tfjs's fused conv: bias and ReLU in the conv kernel, as tf.layers.conv2d runs them.
        return (x) =>
          tf.fused.conv2d({
            x: x as Tf.Tensor4D,
            filter: w as Tf.Tensor4D,
            strides: 1,
            pad: 'valid',
            bias: b,
            activation: relu ? 'relu' : 'linear',
          });
      }
      case 'relu':
        return (x) => tf.relu(x);
      case 'maxpool2d':
        return (x) => tf.maxPool(x as Tf.Tensor4D, layer.kernel, layer.kernel, 'valid');
      case 'dropout':
        return (x, training) => (training ? tf.dropout(x, layer.p) : x);
      case 'flatten':
        return (x) => tf.reshape(x, [x.shape[0], -1]);
      case 'linear': {
        const [w, b] = weightAndBias([layer.inFeatures, layer.outFeatures], layer.inFeatures);
        // tfjs's fused product: bias and ReLU in the matmul kernel, as tf.layers.dense runs them.
        return (x) =>
          tf.fused.matMul({
            a: x as Tf.Tensor2D,
            b: w as Tf.Tensor2D,
            bias: b,
            activation: layer.relu ? 'relu' : 'linear',
          });
      }
    }
  });
  const forward: Layer = (x, training) => layers.reduce((y, f) => f(y, training), x);
  return { forward, variables };
}

/** The convolution as a closure over its operands, or why tfjs has none for these groups. */
function convolution(tf: TfModule, task: ConvTask, inputs: Inputs): Runner | NotApplicable {
  const { inChannels, outChannels, groups, kernel, padding } = task;
  const depthwise = groups === inChannels && outChannels === inChannels;
  if (groups !== 1 && !depthwise) {
    return { notApplicable: 'no grouped convolution other than depthwise' };
  }
  const x = tf.tensor4d(inputs.x.data, nhwc(inputs.x.shape) as [number, number, number, number]);
  const w = tf.tensor4d(inputs.weight.data, [
    kernel,
    kernel,
    inChannels,
    depthwise ? 1 : outChannels,
  ]);
  const conv = depthwise
    ? () => tf.depthwiseConv2d(x, w, 1, padding)
    : () => tf.conv2d(x, w, 1, padding);
  return { run: () => synced(conv()), dispose: () => tf.dispose([x, w]) };
}

function runner(tf: TfModule, workload: Workload, inputs: Inputs): Runner | NotApplicable {
  const task = workload.task;
  const tensor = ({ data, shape }: Operand, layout = shape) =>
    data instanceof Int32Array ? tf.tensor(data, layout, 'int32') : tf.tensor(data, layout);
  switch (task.kind) {
    case 'sgemm': {
      const [a, b] = [tensor(inputs.a), tensor(inputs.b)] as Tf.Tensor2D[];
      return { run: () => synced(tf.matMul(a, b)), dispose: () => tf.dispose([a, b]) };
    }
    case 'conv2d':
      return convolution(tf, task, inputs);
    case 'cnn-train': {
      const { forward, variables } = cnn(tf, task.cnn);
      const optimizer = tf.train.adam(task.learningRate);
      const images = tf.tidy(() =>
        tf.split(tensor(inputs.images, nhwc(inputs.images.shape)), TRAIN_BATCHES),
      );
      const labels = tf.tidy(() =>
        tf.split(tf.oneHot(tensor(inputs.labels) as Tf.Tensor1D, task.cnn.classes), TRAIN_BATCHES),
      );
      let step = 0;
      return {
        run() {
          const i = step++ % TRAIN_BATCHES;
          const loss = () => tf.losses.softmaxCrossEntropy(labels[i], forward(images[i], true));
          synced(optimizer.minimize(loss as () => Tf.Scalar, true, variables)!);
        },
        dispose: () => {
          optimizer.dispose();
          tf.dispose([...variables, ...images, ...labels]);
        },
      };
    }
    case 'cnn-infer': {
      const { forward, variables } = cnn(tf, task.cnn);
      const images = tensor(inputs.images, nhwc(inputs.images.shape));
      return {
        run: () => synced(tf.tidy(() => forward(images, false))),
        dispose: () => tf.dispose([...variables, images]),
      };
    }
  }
}

/**
 * tfjs-core, and whether gradients are registered: tfjs-core registers none itself (so it cannot
 * train); the `@tensorflow/tfjs` package registers them all when it is installed (it is optional,
 * not a devDependency: it adds layers, converter, data and WebGL).
 */
async function loadTfjsCore(): Promise<{ tf: TfModule; gradients: boolean }> {
  const umbrella = '@tensorflow/tfjs';
  const gradients = await import(umbrella).then(
    () => true,
    () => false,
  );
  return { tf: await import('@tensorflow/tfjs-core'), gradients };
}

/** TensorFlow.js on `backend`; throws when its packages are missing or the backend fails. */
export async function loadTfjsPeer(backend: 'cpu' | 'wasm'): Promise<Peer> {
  const { tf, gradients } = await loadTfjsCore();
  const backendModule = await (backend === 'wasm'
    ? import('@tensorflow/tfjs-backend-wasm')
    : import('@tensorflow/tfjs-backend-cpu'));
  const select = async () => {
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' did not start`);
    await tf.ready();
  };
  await select();
  // The wasm backend says how many threads it computes on; the cpu backend is plain JavaScript.
  const threads = 'getThreadsCount' in backendModule ? backendModule.getThreadsCount() : 1;
  const noGradients = gradients ? '' : '; no gradients: @tensorflow/tfjs is not installed';
  return {
    name: `tfjs-${backend}`,
    label: `tfjs ${tf.version_core} ${backend} (${threads} thread${threads > 1 ? 's' : ''}${noGradients})`,
    async prepare(workload, inputs) {
      await select();
      return runner(tf, workload, inputs);
    },
  };
}
