/**
 * The layer harness (Keras's layer test, run over a table): for every case of
 * test/fixtures/nn/layers.json (PyTorch 1.13, scripts/make-nn-layer-fixtures.py) the fovea layer
 * of test/nn/layer-table.ts must have PyTorch's state-dict names and shapes, parameter count,
 * output shape and values (with the same deterministic weights and input), running statistics
 * after training steps, and repr; and it must reload its state dict to identical outputs and,
 * when it has parameters, lower a loss with one gradient step.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Module } from '../../src/nn/index.js';
import {
  manualSeed,
  mean,
  noGrad,
  randn,
  square,
  sub,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { layers, reprDifferences } from './layer-table.js';

interface LayerFixture {
  expr: string;
  mode: 'train' | 'eval';
  steps: number;
  input: number[];
  output: number[];
  state: [string, number[]][];
  numParameters: number;
  repr: string;
  values: number[];
  buffersAfter?: Record<string, number[]>;
  batchesTracked?: number;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/nn/layers.json', import.meta.url), 'utf8'),
) as { cases: LayerFixture[] };

/** The project's PyTorch tolerance: |actual − expected| ≤ 1e-5 + 1e-4·|expected|. */
function assertClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    assert.ok(Math.abs(a - e) <= 1e-5 + 1e-4 * Math.abs(e), `${what}[${i}]: ${a} vs ${e}`);
  }
}

/** The key's seed in the fill formula: the sum of its character codes mod 31. */
const keySeed = (key: string) => [...key].reduce((s, c) => s + c.charCodeAt(0), 0) % 31;

/** The deterministic state of the fixture script's fill_state (same formula, same keys). */
function fillState(m: Module): void {
  for (const [key, t] of m.stateDict()) {
    if (t.dtype === 'int32') continue; // num_batches_tracked
    const seed = keySeed(key);
    for (let i = 0; i < t.size; i++) {
      const v = Math.sin(0.7 * i + 1.3 * seed);
      if (key.endsWith('running_var')) t.data[i] = 1 + 0.5 * v * v;
      else if (t.ndim >= 2) t.data[i] = v * Math.sqrt((2 * t.shape[0]) / t.size);
      else t.data[i] = 0.5 * v;
    }
  }
}

/** The fixture's input of pass s: x[i] = 2·sin(0.37·i + 0.5 + s). */
function fixtureInput(shape: number[], s: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => 2 * Math.sin(0.37 * i + 0.5 + s));
  return tensor(data, { shape });
}

/**
 * PyTorch's repr in fovea's spelling: camelCase argument names, lists for tuples, JavaScript's
 * literals and number formatting, and no `inplace=False` (fovea has no in-place layers).
 */
function fromPython(repr: string): string {
  return repr
    .replace(/(, )?inplace=False/g, '')
    .replace(/\b([a-z]+(?:_[a-z]+)+)=/g, (_, name: string) =>
      name.replace(/_([a-z])/g, (__, c: string) => c.toUpperCase()).concat('='),
    )
    .replace(/(?<=[=(])\(([^()]*)\)/g, (_, items: string) => `[${items.replace(/,$/, '')}]`)
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null')
    .replace(/(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w.])/g, (n) => String(Number(n)));
}

const label = (c: LayerFixture) => `${c.expr} [${c.mode}${c.steps > 1 ? ` ×${c.steps}` : ''}]`;

describe('every layer against PyTorch', () => {
  it('covers every layer of the table, and the table every fixture case', () => {
    const fixtureExprs = new Set(fixture.cases.map((c) => c.expr));
    assert.deepEqual(
      Object.keys(layers).filter((e) => !fixtureExprs.has(e)),
      [],
      'layers without a fixture case',
    );
    assert.deepEqual(
      [...fixtureExprs].filter((e) => !(e in layers)),
      [],
      'fixture cases without a layer',
    );
  });

  for (const c of fixture.cases) {
    describe(label(c), () => {
      const make = layers[c.expr];

      it("has PyTorch's state-dict names, shapes and parameter count", () => {
        const m = make();
        const named = (list: [string, Tensor][]) => list.map(([k, t]) => [k, [...t.shape]]);
        const params = named(m.namedParameters());
        const isParam = new Set(params.map(([k]) => k));
        // stateDict() lists every parameter before every buffer, where PyTorch goes module by
        // module; each kind on its own must follow PyTorch's order.
        assert.deepEqual(
          params,
          c.state.filter(([k]) => isParam.has(k)),
        );
        assert.deepEqual(
          named(m.namedBuffers()),
          c.state.filter(([k]) => !isParam.has(k)),
        );
        const count = m.parameters().reduce((n, p) => n + p.size, 0);
        assert.equal(count, c.numParameters);
        for (const [k, t] of m.stateDict()) {
          if (k.endsWith('num_batches_tracked')) assert.equal(t.dtype, 'int32', k);
        }
      });

      it(`computes PyTorch's output in ${c.mode} mode`, () => {
        const m = make();
        fillState(m);
        m.train(c.mode === 'train');
        let out = fixtureInput(c.input, 0);
        for (let s = 0; s < c.steps; s++) out = m.forward(fixtureInput(c.input, s));
        assert.deepEqual(out.shape, c.output);
        assertClose(out.data, c.values, 'output');
        const state = m.stateDict();
        for (const [key, values] of Object.entries(c.buffersAfter ?? {})) {
          assertClose(state.get(key)!.data, values, key);
        }
        if (c.batchesTracked !== undefined) {
          const [, counter] = [...state].find(([k]) => k.endsWith('num_batches_tracked'))!;
          assert.equal(counter.item(), c.batchesTracked, 'num_batches_tracked');
        }
      });

      it("prints as PyTorch's repr", () => {
        const known = reprDifferences[c.expr];
        assert.equal(make().toString(), known ? known.repr : fromPython(c.repr));
      });
    });
  }
});

describe('every layer (generic properties)', () => {
  const inputs = new Map(fixture.cases.map((c) => [c.expr, c]));

  for (const [expr, make] of Object.entries(layers)) {
    const { input, output } = inputs.get(expr) ?? { input: [], output: [] };

    describe(expr, () => {
      it('reloads its state dict (trained statistics included) to identical outputs', () => {
        manualSeed(1);
        const a = make();
        a.forward(randn(input)); // moves any running statistics away from their init
        a.eval();
        manualSeed(2);
        const b = make().eval();
        b.loadStateDict(a.stateDict());
        for (const [key, t] of b.stateDict()) {
          assert.notEqual(t, a.stateDict().get(key), `${key} is copied, not shared`);
          assert.deepEqual(t.data, a.stateDict().get(key)!.data, key);
        }
        const x = randn(input);
        assert.deepEqual(b.forward(x).data, a.forward(x).data);
      });

      it('lowers a loss with one gradient step when it has parameters', (t) => {
        manualSeed(3);
        const layer = make();
        if (layer.parameters().length === 0) return t.skip('no parameters');
        const x = randn(input);
        const target = randn(output);
        const loss = () => mean(square(sub(layer.forward(x), target)));
        const before = loss();
        before.backward();
        noGrad(() => {
          for (const p of layer.parameters()) {
            assert.ok(p.grad, 'every parameter gets a gradient');
            p.data.set(sub(p, p.grad.mul(0.1)).data);
          }
        });
        const after = loss().item();
        assert.ok(after < before.item(), `loss ${before.item()} → ${after}`);
      });
    });
  }
});
