import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { cast, manualSeed, tidy, type Tensor } from '../../src/index.js';
import { residentMemory, setResidentMinimum } from '../../src/backend/wasm/arena.js';
import { opInfos } from '../opinfo/index.js';

// Every OpInfo sample in float32 on the wasm backend, inside a memory scope (where every array,
// however small, is made in wasm memory and kernels write outputs that were not zero-filled)
// and outside one: the output and the inputs' gradients must agree bit for bit, also on a second
// run over the blocks the first left dirty.
const previous = setResidentMinimum(0);
after(() => setResidentMinimum(previous));

/** The sample's output and its inputs' gradients of output.sum(), as arrays of numbers. */
function results(call: (...inputs: Tensor[]) => Tensor, inputs: Tensor[]): number[][] {
  manualSeed(7);
  inputs.forEach((t) => t.zeroGrad());
  const out = call(...inputs);
  if (out.requiresGrad) out.sum().backward();
  else
    assert.ok(
      inputs.every((t) => !t.requiresGrad),
      'the gradients are compared too',
    );
  return [out, ...inputs.map((t) => t.grad)].map((t) => (t ? Array.from(t.data) : []));
}

for (const info of opInfos) {
  describe(`${info.name} in a memory scope`, () => {
    for (const sample of info.samples()) {
      it(sample.label, () => {
        // Float inputs in float32, differentiated as gradcheck does (all but the skipped ones).
        const skip = sample.check?.skip ?? [];
        const inputs = sample.inputs.map((t, i) =>
          t.dtype === 'float64' ? cast(t.detach(), 'float32').requireGrad(!skip.includes(i)) : t,
        );
        const outside = results(sample.call, inputs);
        for (const round of [1, 2]) {
          const inside = tidy(() => results(sample.call, inputs));
          assert.deepEqual(inside, outside, `round ${round}`);
        }
        assert.equal(residentMemory().liveBlocks, 0);
      });
    }
  });
}
