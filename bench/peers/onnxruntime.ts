/** ONNX Runtime for Node (native, 2 intra-op threads): inference tasks only, from ONNX graphs. */
import type { Runner } from '../harness.js';
import type { Inputs } from '../inputs.js';
import { cnnModel, convModel, sgemmModel, type GraphInput } from '../onnx-graph.js';
import { isNotApplicable, type NotApplicable, type Peer } from '../peer.js';
import type { Workload } from '../workload.js';

/** Intra-op threads: the machine's two cores. */
const THREADS = 2;

/** The model of an inference task and the names of the inputs it is fed, or n/a for training. */
function graph(
  workload: Workload,
  inputs: Inputs,
): { bytes: Uint8Array; feeds: string[] } | NotApplicable {
  const input = (name: string): GraphInput => ({ name, shape: inputs[name].shape });
  const task = workload.task;
  switch (task.kind) {
    case 'sgemm':
      return { bytes: sgemmModel(input('a'), input('b')), feeds: ['a', 'b'] };
    case 'conv2d':
      return { bytes: convModel(task, input('x')), feeds: ['x'] };
    case 'cnn-infer':
      return { bytes: cnnModel(task.cnn, input('images')), feeds: ['images'] };
    case 'cnn-train':
      return { notApplicable: 'inference only' };
  }
}

/** onnxruntime-node; throws when the package or its native binding is missing. */
export async function loadOnnxRuntimePeer(): Promise<Peer> {
  const ort = await import('onnxruntime-node');
  return {
    name: 'onnxruntime',
    label: `onnxruntime-node ${ort.env.versions.node} (${THREADS} threads)`,
    async prepare(workload, inputs): Promise<Runner | NotApplicable> {
      const model = graph(workload, inputs);
      if (isNotApplicable(model)) return model;
      const session = await ort.InferenceSession.create(model.bytes, {
        intraOpNumThreads: THREADS,
      });
      const feeds = Object.fromEntries(
        model.feeds.map((name) => {
          const { data, shape } = inputs[name];
          return [name, new ort.Tensor('float32', data as Float32Array, shape)];
        }),
      );
      return {
        run: async () => void (await session.run(feeds)),
        dispose: () => session.release(),
      };
    },
  };
}
