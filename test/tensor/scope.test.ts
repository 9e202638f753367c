import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  Adam,
  Conv2d,
  Flatten,
  Sequential,
  TensorDataset,
  fit,
  predict,
  FoveaError,
  Linear,
  Tensor,
  add,
  avgPool2d,
  batchNorm,
  bmm,
  conv1d,
  conv2d,
  conv3d,
  convTranspose2d,
  crossEntropy,
  gt,
  keep,
  linear,
  logSoftmax,
  manualSeed,
  matmul,
  maxPool2d,
  mul,
  permute,
  randn,
  relu,
  setBackend,
  slice,
  startScope,
  sub,
  tidy,
  where,
} from '../../src/index.js';
import { residentAddress, residentMemory } from '../../src/backend/wasm/arena.js';

after(() => setBackend('wasm'));

const releasedMessage = /was released when the memory scope \(tidy\) it was made in ended/;

/**
 * Many kernels on operands in every placement the wasm wrappers handle (strided and broadcast
 * elementwise, batched and transposed products with a shared operand, grouped, strided and
 * dilated convs in 1-D to 3-D with fused activations, both conv gradients, pooling with argmax,
 * batch norm, log softmax, an Adam step): every value and gradient, as arrays.
 */
function scenario(seed: number): number[][] {
  manualSeed(seed);
  const x = randn([4, 8, 20, 20], { requiresGrad: true });
  const w = randn([16, 4, 3, 3], { requiresGrad: true });
  const b = randn([16], { requiresGrad: true });
  const y = conv2d(x, w, b, { padding: 1, groups: 2, stride: [1, 2], activation: 'relu' });
  const dw = conv2d(y, randn([16, 1, 3, 3]), null, { groups: 16, dilation: 2 });
  const pooled = maxPool2d(dw, { kernelSize: 2 });
  const averaged = avgPool2d(y, { kernelSize: 3, stride: 2, padding: 1 });
  const normed = batchNorm(y, null, null, {
    training: true,
    weight: randn([16]),
    bias: randn([16]),
  });
  const t = convTranspose2d(averaged, randn([16, 8, 3, 3]), null, { stride: 2 });
  const a = randn([3, 40, 50]);
  const shared = randn([50, 30], { requiresGrad: true });
  const product = matmul(a, shared); // B broadcast over the batch: its batch stride is 0
  const bt = bmm(permute(a, [0, 2, 1]), randn([3, 40, 24]));
  const dense = linear(product.reshape([120, 30]), randn([64, 30]), randn([64]), {
    activation: 'relu6',
  });
  const mixed = where(gt(product, 0), mul(product, 2), sub(product, randn([1, 40, 1])));
  const logits = logSoftmax(dense, 1);
  const sliced = slice(y, 3, 2, 10); // a strided copy from an offset
  // Two fused convs whose outputs are added get the one same gradient tensor from the add.
  const twin = add(
    conv2d(x, randn([8, 8, 3, 3]), null, { padding: 1, activation: 'relu' }),
    conv2d(x, randn([8, 8, 3, 3]), null, { padding: 1, activation: 'relu6' }),
  );
  const loss = add(
    add(pooled.sum(), normed.mul(normed).sum()),
    add(logits.sum(), add(mixed.sum(), add(t.sum(), add(bt.sum(), twin.mul(twin).sum())))),
  );
  loss.backward();
  const oneD = conv1d(randn([2, 6, 300]), randn([12, 3, 5]), null, { groups: 2, stride: 3 });
  const threeD = conv3d(randn([1, 2, 12, 12, 12]), randn([4, 2, 3, 3, 3]), null, { padding: 1 });
  const values = [
    y,
    dw,
    pooled,
    averaged,
    normed,
    t,
    product,
    bt,
    dense,
    mixed,
    logits,
    oneD,
    sliced,
  ];
  return [...values, threeD, x.grad!, w.grad!, b.grad!, shared.grad!, relu(threeD)].map((v) =>
    Array.from(v.data),
  );
}

for (const backend of ['wasm', 'reference']) {
  describe(`memory scopes on the ${backend} backend`, () => {
    it('computes the same values inside a scope as outside, twice over reused memory', () => {
      setBackend(backend);
      const outside = scenario(1);
      for (const round of [0, 1]) {
        const inside = tidy(() => scenario(1));
        assert.deepEqual(inside, outside, `round ${round}`);
      }
      // A different input over the blocks the last scope left: nothing stale shows through.
      assert.deepEqual(
        tidy(() => scenario(2)),
        scenario(2),
      );
      if (backend === 'wasm') assert.equal(residentMemory().liveBlocks, 0);
    });

    it('keeps what fn returns, releases the rest, and says so on use', () => {
      setBackend(backend);
      let inner: Tensor | undefined;
      const kept = tidy(() => {
        inner = randn([64, 64]);
        const result = relu(inner);
        if (backend === 'wasm') assert.ok(residentAddress(result.data) >= 0);
        return { result, list: [inner.reshape([-1])] };
      });
      // The reshape shares inner's storage, so both survive; an unrelated temporary does not.
      assert.equal(kept.list[0].data[5], inner!.data[5]);
      assert.ok(kept.result.data.every((v, i) => v === Math.max(inner!.data[i], 0)));
      if (backend === 'wasm') {
        assert.equal(residentAddress(kept.result.data), -1, 'moved into a JavaScript array');
        assert.equal(residentMemory().liveBlocks, 0);
      }
      let temporary: Tensor | undefined;
      tidy(() => {
        temporary = randn([64, 64]).mul(2);
      });
      assert.throws(
        () => temporary!.data,
        (e: unknown) => e instanceof FoveaError && releasedMessage.test(e.message),
      );
      assert.equal(temporary!.size, 4096, 'shape and size stay readable');
      assert.throws(() => temporary!.add(1), releasedMessage);
    });

    it('moves kept tensors to the enclosing scope, which releases them unless it keeps them', () => {
      setBackend(backend);
      let fromInner: Tensor | undefined;
      let kept: Tensor | undefined;
      tidy(() => {
        fromInner = tidy(() => randn([40, 40]).add(1));
        assert.equal(fromInner.data.length, 1600, 'alive in the enclosing scope');
        kept = keep(tidy(() => randn([40, 40]).mul(3)));
      });
      assert.throws(() => fromInner!.data, releasedMessage);
      assert.equal(kept!.data.length, 1600);
      if (backend === 'wasm') assert.equal(residentMemory().liveBlocks, 0);
    });

    it('keeps gradients, parameters and optimizer state made in a scope', () => {
      setBackend(backend);
      manualSeed(3);
      const x = randn([8, 1, 12, 12]);
      const target = [1, 0, 2, 1, 0, 2, 1, 0];
      const losses: number[] = [];
      const model = tidy(() => [new Conv2d(1, 4, 3), new Linear(400, 3)] as const);
      const optimizer = new Adam([...model[0].parameters(), ...model[1].parameters()]);
      const step = () => {
        optimizer.zeroGrad();
        const hidden = relu(model[0].forward(x)).reshape([8, 400]);
        const loss = crossEntropy(model[1].forward(hidden), targets(target));
        loss.backward();
        optimizer.step();
        return loss.item();
      };
      for (let i = 0; i < 3; i++) losses.push(tidy(step));
      assert.ok(
        model[1].weight.grad!.data.some((v) => v !== 0),
        'the gradient outlives the step',
      );
      assert.ok(losses[2] < losses[0], `the loss falls: ${losses.join(', ')}`);
      if (backend === 'wasm') assert.equal(residentMemory().liveBlocks, 0);
    });

    it('fit and predict leave no tensor in wasm memory, nor any parameter', async () => {
      setBackend(backend);
      manualSeed(4);
      const model = new Sequential(
        new Conv2d(1, 8, 3, { activation: 'relu' }),
        new Flatten(),
        new Linear(800, 300),
      );
      const data = new TensorDataset(
        randn([48, 1, 12, 12]),
        targets(Array.from({ length: 48 }, (_, i) => i % 3)),
      );
      let scoped = false; // whether fit's steps made their tensors in wasm memory
      const loss = (output: Tensor, target: Tensor) => {
        scoped ||= residentAddress(output.data) >= 0;
        return crossEntropy(output, target);
      };
      const history = await fit(model, data, {
        optimizer: new Adam(model.parameters()),
        epochs: 2,
        batchSize: 16,
        validation: data,
        loss,
      });
      assert.equal(scoped, backend === 'wasm');
      assert.ok(history[1].loss < history[0].loss, 'it trains');
      assert.equal(predict(model, data).shape[0], 48);
      if (backend === 'wasm') {
        assert.equal(residentMemory().liveBlocks, 0);
        for (const p of model.parameters()) {
          assert.equal(residentAddress(p.data), -1);
          assert.equal(residentAddress(p.grad!.data), -1);
        }
      }
    });

    it('releases everything when fn throws, and refuses a Promise', () => {
      setBackend(backend);
      let made: Tensor | undefined;
      assert.throws(
        () =>
          tidy(() => {
            made = randn([50, 50]).add(1);
            throw new Error('boom');
          }),
        /boom/,
      );
      assert.throws(() => made!.data, releasedMessage);
      assert.throws(
        () => tidy(async () => randn([2])),
        (e: unknown) => e instanceof FoveaError && /returned a Promise/.test(e.message),
      );
      if (backend === 'wasm') assert.equal(residentMemory().liveBlocks, 0);
      assert.ok(randn([50, 50]).add(1).data.length === 2500, 'no scope is left open');
    });

    it('ends open scopes innermost first, once', () => {
      setBackend(backend);
      const outer = startScope();
      const inner = startScope();
      assert.throws(() => outer.end(), /a scope opened inside this one is still open/);
      inner.end();
      assert.throws(() => inner.end(), /this scope has already ended/);
      const x = randn([30, 30]);
      outer.end(x);
      assert.equal(x.data.length, 900);
    });
  });
}

/** Int class targets as a tensor. */
function targets(values: number[]): Tensor {
  return new Tensor(Int32Array.from(values), [values.length], 'int32');
}
