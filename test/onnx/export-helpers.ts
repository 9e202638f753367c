/** Shared by the ONNX export tests: random weights, and running an exported file in ONNX Runtime. */
import * as ort from 'onnxruntime-node';
import { noGrad, randn, type Module, type Tensor } from '../../src/index.js';
import { Generator } from '../../src/tensor/random.js';

/**
 * Gives every parameter and batch-norm statistic random values (seeded), so that no output is
 * trivially zero (zoo models zero-initialise some norms) and every weight matters.
 */
export function randomizeState(model: Module, seed = 1): void {
  const generator = new Generator(seed);
  for (const [name, t] of model.stateDict()) {
    if (t.dtype !== 'float32') continue;
    const noise = randn(t.shape, { generator }).data;
    const spread = name.endsWith('running_var') || (name.endsWith('.weight') && t.ndim === 1);
    for (let i = 0; i < t.size; i++) {
      t.data[i] = spread
        ? 0.75 + 0.5 * Math.abs(noise[i])
        : t.ndim === 1
          ? 0.1 * noise[i]
          : t.data[i] + 0.01 * noise[i];
    }
  }
}

/** Runs the exported bytes on `x` in onnxruntime-node; returns the one output's values and dims. */
export async function runOrt(
  bytes: Uint8Array,
  x: Tensor,
  names = { input: 'input', output: 'output' },
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  const feed = { [names.input]: new ort.Tensor('float32', x.data as Float32Array, [...x.shape]) };
  const result = (await session.run(feed))[names.output];
  return { data: result.data as Float32Array, dims: result.dims };
}

/**
 * The largest |ORT − fovea| over the output, divided by the output's scale (its largest |value|):
 * float32 agreement, independent of how large the model's outputs are.
 */
export function relativeMaxDiff(got: Float32Array, expected: Tensor): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < got.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - expected.data[i]));
    scale = Math.max(scale, Math.abs(expected.data[i]));
  }
  return diff / scale;
}

/** fovea's eval-mode output for `x`. */
export function foveaOutput(model: Module, x: Tensor): Tensor {
  const training = model.training;
  const out = noGrad(() => model.eval().forward(x));
  model.train(training);
  return out;
}

/**
 * Runs the exported model at each batch size in ONNX Runtime and in fovea; returns the worst
 * relative max diff, after checking the output shapes agree and the output is not constant.
 */
export async function worstDiffVsOrt(
  model: Module,
  bytes: Uint8Array,
  sampleShape: readonly number[],
  batches: readonly number[] = [1, 3],
): Promise<number> {
  let worst = 0;
  for (const batch of batches) {
    const x = randn([batch, ...sampleShape], { generator: new Generator(batch) });
    const expected = foveaOutput(model, x);
    const got = await runOrt(bytes, x);
    if (got.dims.join(',') !== expected.shape.join(',')) {
      throw new Error(
        `ORT output shape [${got.dims.join(',')}] but fovea [${expected.shape.join(',')}]`,
      );
    }
    if (expected.data.every((v) => v === expected.data[0])) {
      throw new Error('the model output is constant: the comparison would prove nothing');
    }
    worst = Math.max(worst, relativeMaxDiff(got.data, expected));
  }
  return worst;
}
