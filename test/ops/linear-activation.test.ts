import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FoveaError,
  FusedLayer,
  Generator,
  Linear,
  ReLU,
  ReLU6,
  Sequential,
  fuse,
  linear,
  noGrad,
  randn,
  relu,
  relu6,
} from '../../src/index.js';
import { onBackend } from '../helpers/backend.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { assertSame } from '../helpers/same.js';

const g = new Generator(17);
const random = (shape: number[]) => randn(shape, { generator: g });
const separate = { relu, relu6 } as const;

// Small (the caller alone) and large (split among the threads by columns, by rows) products.
const cases: [string, number[], number[]][] = [
  ['small, 3-D input', [2, 3, 9], [5, 9]],
  ['split by columns', [64, 300], [130, 300]],
  ['split by rows', [300, 260], [40, 260]],
];

for (const backend of ['wasm', 'reference']) {
  describe(`linear's bias and activation in the product's kernel, on the ${backend} backend`, () => {
    for (const [name, xShape, wShape] of cases) {
      it(`${name}: equal to the separate add and relu / relu6, NaN included`, () => {
        onBackend(backend, () => {
          const x = random(xShape).mul(3);
          x.data[1] = NaN;
          const [w, b] = [random(wShape), random([wShape[0]])];
          const product = noGrad(() => linear(x, w));
          const plain = noGrad(() => product.add(b));
          assert.ok(plain.data.some((v) => v < 0) && plain.data.some((v) => v > 6));
          assertSame(
            noGrad(() => linear(x, w, b)),
            plain,
            'bias',
          );
          for (const activation of ['relu', 'relu6'] as const) {
            assertSame(linear(x, w, b, { activation }), separate[activation](plain), activation);
            const unbiased = linear(x, w, null, { activation });
            assertSame(unbiased, separate[activation](product), `${activation}, no bias`);
          }
        });
      });

      it(`${name}: gradients equal those through the separate ops`, () => {
        onBackend(backend, () => {
          for (const activation of ['relu', 'relu6'] as const) {
            const x = random(xShape).mul(3).requireGrad();
            const w = random(wShape).requireGrad();
            const b = random([wShape[0]]).requireGrad();
            linear(x, w, b, { activation }).square().sum().backward();
            const fused = [x.grad!, w.grad!, b.grad!];
            [x, w, b].forEach((t) => (t.grad = null));
            separate[activation](linear(x, w).add(b)).square().sum().backward();
            fused.forEach((f, i) => assertSame(f, [x, w, b][i].grad!, `${activation} grad ${i}`));
          }
        });
      });
    }
  });
}

describe("linear's activation option", () => {
  it('passes finite differences (float64), the bias alone and with the weight frozen', () => {
    const x = randn([5, 4], { dtype: 'float64', generator: g }).mul(4);
    const w = randn([6, 4], { dtype: 'float64', generator: g });
    const b = randn([6], { dtype: 'float64', generator: g });
    for (const activation of ['relu', 'relu6'] as const) {
      gradcheck((xi, wi, bi) => linear(xi, wi, bi, { activation }), [x, w, b]);
      gradcheck((xi, wi, bi) => linear(xi, wi, bi, { activation }), [x, w, b], { skip: [1] });
    }
  });

  it("Linear({ activation }) is Keras's Dense(activation=...): forward, repr, errors", () => {
    const layer = new Linear(6, 4, { activation: 'relu6' });
    const x = random([3, 6]).mul(5);
    const plain = noGrad(() => linear(x, layer.weight, layer.bias));
    assertSame(
      noGrad(() => layer.forward(x)),
      relu6(plain),
      'layer',
    );
    assert.equal(layer.activation, 'relu6');
    assert.match(layer.toString(), /activation=relu6/);
    assert.equal(new Linear(6, 4).activation, null);
    const bad = { activation: 'gelu' } as never;
    assert.throws(
      () => new Linear(6, 4, bad),
      /Linear.*activation must be 'relu' or 'relu6'.*'gelu'/,
    );
  });

  it('FusedLayer runs a Linear and its ReLU/ReLU6 as one product; fuse leaves one with its own', () => {
    for (const act of [new ReLU(), new ReLU6()]) {
      const layer = new Linear(7, 5);
      const x = random([4, 7]).mul(6);
      const want = noGrad(() => act.forward(layer.forward(x)));
      assertSame(
        noGrad(() => new FusedLayer(layer, act).forward(x)),
        want,
        act.constructor.name,
      );
    }
    const model = new Sequential(new Linear(7, 5, { activation: 'relu' }), new ReLU6());
    fuse(model);
    assert.ok(model.at(0) instanceof Linear && model.at(1) instanceof ReLU6);
    assert.throws(
      () => new FusedLayer(new Linear(7, 5, { activation: 'relu' }), new ReLU()),
      FoveaError,
    );
  });
});
