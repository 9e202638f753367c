/** fovea itself, through its public API, on the backend in use (`--backend`, `FOVEA_BACKEND`). */
import {
  Adam,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  conv2d,
  crossEntropy,
  getBackend,
  matmul,
  noGrad,
  startScope,
  tensor,
  tidy,
  type Tensor,
} from '../../src/index.js';
import type { Runner } from '../harness.js';
import type { Inputs, Operand } from '../inputs.js';
import type { Peer } from '../peer.js';
import { fuseRelu, type CnnSpec, type FusedLayerSpec, type Workload } from '../workload.js';

const toTensor = ({ data, shape }: Operand): Tensor => tensor(data, { shape });

function layer(spec: FusedLayerSpec): Module {
  switch (spec.type) {
    case 'conv2d': {
      const activation = spec.relu ? 'relu' : undefined;
      return new Conv2d(spec.inChannels, spec.outChannels, spec.kernel, { activation });
    }
    case 'relu':
      return new ReLU();
    case 'maxpool2d':
      return new MaxPool2d(spec.kernel);
    case 'dropout':
      return new Dropout(spec.p);
    case 'flatten':
      return new Flatten();
    case 'linear': {
      const activation = spec.relu ? 'relu' : undefined;
      return new Linear(spec.inFeatures, spec.outFeatures, { activation });
    }
  }
}

/** The CNN as a Keras user writes it in fovea: a conv or linear and its ReLU as one layer. */
const cnn = (spec: CnnSpec): Sequential => new Sequential(...fuseRelu(spec.layers).map(layer));

/** The batches of `images` (and `labels`), `batch` samples each, as tensors. */
function batches(operand: Operand, batch: number): Tensor[] {
  const [count, ...sample] = operand.shape;
  const size = operand.data.length / count;
  return Array.from({ length: count / batch }, (_, i) =>
    toTensor({
      data: operand.data.subarray(i * batch * size, (i + 1) * batch * size),
      shape: [batch, ...sample],
    }),
  );
}

/**
 * `workload` on `inputs` through fovea's public API (also what the Chromium peer's page runs).
 * As TensorFlow.js's peer does with its tensors, the prepared inputs (and model) live in a memory
 * scope that `dispose` ends, so they are in the backend's memory, and each run is a `tidy`.
 */
export function runner(workload: Workload, inputs: Inputs): Runner {
  const scope = startScope();
  const run = prepare(workload, inputs);
  return { run: () => tidy(run), dispose: () => scope.end() };
}

function prepare(workload: Workload, inputs: Inputs): () => void {
  const task = workload.task;
  switch (task.kind) {
    case 'sgemm': {
      const [a, b] = [toTensor(inputs.a), toTensor(inputs.b)];
      return () => void matmul(a, b);
    }
    case 'conv2d': {
      const [x, weight] = [toTensor(inputs.x), toTensor(inputs.weight)];
      const options = { padding: task.padding, groups: task.groups };
      return () => void noGrad(() => conv2d(x, weight, null, options));
    }
    case 'cnn-train': {
      const model = cnn(task.cnn).train();
      const optimizer = new Adam(model.parameters(), { lr: task.learningRate });
      const images = batches(inputs.images, task.batch);
      const labels = batches(inputs.labels, task.batch);
      let step = 0;
      return () => {
        const i = step++ % images.length;
        optimizer.zeroGrad();
        crossEntropy(model.forward(images[i]), labels[i]).backward();
        optimizer.step();
      };
    }
    case 'cnn-infer': {
      const model = cnn(task.cnn).eval();
      const images = toTensor(inputs.images);
      return () => void noGrad(() => model.forward(images));
    }
  }
}

/** fovea on the current backend; its name shows in the column heading. */
export async function loadFoveaPeer(): Promise<Peer> {
  return {
    name: 'fovea',
    label: `fovea (${getBackend().name} backend)`,
    prepare: async (workload, inputs) => runner(workload, inputs),
  };
}
