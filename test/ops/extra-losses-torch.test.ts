import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as F from '../../src/index.js';
import { tensor, type Tensor } from '../../src/index.js';

// PyTorch 1.13's numbers (forward and gradients, float64) for the distances, embedding losses and
// torchvision's sigmoid focal loss, made by scripts/make-loss-fixtures.py.

interface Case {
  name: string;
  op: string;
  options: Record<string, unknown>;
  inputs: { name: string; shape: number[]; data: number[]; grad: boolean }[];
  output: { shape: number[]; data: number[] };
  upstream: number[];
  grads: Record<string, number[]>;
}

const { cases } = JSON.parse(
  readFileSync(new URL('../fixtures/losses-metrics/losses.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

/** JSON cannot hold Infinity: the script writes it as a string. */
const options = (c: Case) =>
  Object.fromEntries(
    Object.entries(c.options).map(([k, v]) => [k, v === 'Infinity' ? Infinity : v]),
  );

const ops: Record<string, (inputs: Tensor[], options: never) => Tensor> = {
  pairwiseDistance: ([a, b], o) => F.pairwiseDistance(a, b, o),
  cosineSimilarity: ([a, b], o) => F.cosineSimilarity(a, b, o),
  tripletMarginLoss: ([a, p, n], o) => F.tripletMarginLoss(a, p, n, o),
  cosineEmbeddingLoss: ([a, b, y], o) => F.cosineEmbeddingLoss(a, b, y, o),
  sigmoidFocalLoss: ([x, t], o) => F.sigmoidFocalLoss(x, t, o),
};

function assertClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    assert.ok(
      error <= 1e-12 + 1e-9 * Math.abs(expected[i]),
      `${what}[${i}]: ${actual[i]} vs PyTorch ${expected[i]}`,
    );
  }
}

describe('extra losses match PyTorch 1.13', () => {
  for (const c of cases) {
    it(c.name, () => {
      const inputs = c.inputs.map((i) =>
        tensor(Float64Array.from(i.data), { shape: i.shape, requiresGrad: i.grad }),
      );
      const out = ops[c.op](inputs, options(c) as never);
      assert.deepEqual(out.shape, c.output.shape);
      assertClose(out.data, c.output.data, 'output');
      out
        .mul(tensor(Float64Array.from(c.upstream), { shape: c.output.shape }))
        .sum()
        .backward();
      c.inputs.forEach((input, k) => {
        if (input.grad)
          assertClose(inputs[k].grad!.data, c.grads[input.name], `grad ${input.name}`);
      });
    });
  }
});
