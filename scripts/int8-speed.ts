/**
 * int8 against float32 inference speed on the current backend (the wasm one unless
 * FOVEA_BACKEND says otherwise): zoo models with random weights, as built, fused (batch norms
 * folded, ReLUs merged: what int8 starts from) and quantized (calibrated on the input batch), the median of 9 timed forward passes after one warm-up, in eval mode.
 * Speed does not depend on the weights, so no training is needed.
 *
 *   npx tsx scripts/int8-speed.ts      (about a minute on 2 cores)
 *
 * The numbers are in docs/deployment.md.
 */
import {
  createModel,
  fuse,
  noGrad,
  quantize,
  randn,
  type Module,
  type Tensor,
} from '../src/index.js';
import { Generator } from '../src/tensor/random.js';
import { getBackend } from '../src/tensor/backend-registry.js';

/** Median milliseconds of `runs` forward passes after one warm-up. */
function medianMs(model: Module, x: Tensor, runs = 9): number {
  noGrad(() => model.forward(x));
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    noGrad(() => model.forward(x));
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const cases = [
  { name: 'fashion_cnn', inChannels: 1, shape: [256, 1, 28, 28] },
  { name: 'resnet18', inChannels: 3, shape: [32, 3, 32, 32] },
  { name: 'mobilenet_v2', inChannels: 3, shape: [16, 3, 64, 64] },
] as const;

console.log(`backend ${getBackend().name}; images/s, median of 9`);
for (const { name, inChannels, shape } of cases) {
  const x = randn([...shape], { generator: new Generator(1) });
  const float = createModel(name, { inChannels, numClasses: 10 });
  float.eval();
  const fused = createModel(name, { inChannels, numClasses: 10 });
  fused.eval();
  fuse(fused);
  const int8 = quantize(createModel(name, { inChannels, numClasses: 10 }), [x]);
  int8.eval();
  const [f, ff, q] = [medianMs(float, x), medianMs(fused, x), medianMs(int8, x)];
  const perSecond = (ms: number) => ((shape[0] / ms) * 1000).toFixed(0);
  console.log(
    `${name} [${shape.join(', ')}]: fp32 ${perSecond(f)}, fp32 fused ${perSecond(ff)}, ` +
      `int8 ${perSecond(q)} (${(f / q).toFixed(2)}× fp32, ${(ff / q).toFixed(2)}× fused)`,
  );
}
