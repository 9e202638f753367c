import assert from 'node:assert/strict';
import { onBackend } from '../helpers/backend.js';
import { describe, it } from 'node:test';
import {
  BatchNorm2d,
  Conv2d,
  ConvTranspose2d,
  FoveaError,
  FusedLayer,
  Generator,
  Identity,
  ReLU,
  ReLU6,
  Sequential,
  conv1d,
  conv2d,
  conv3d,
  fuse,
  noGrad,
  randn,
  relu,
  relu6,
  type ConvOptions,
  type Tensor,
} from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { assertSame } from '../helpers/same.js';

const g = new Generator(7);
const random = (shape: number[]) => randn(shape, { generator: g });
/** conv1d, conv2d or conv3d by the input's rank. */
const convOf = (x: Tensor) => [conv1d, conv2d, conv3d][x.ndim - 3];

// One case per path of the wasm conv (depthwise, Winograd, im2col, pointwise) and 1-D / 3-D.
const cases: [string, number[], number[], ConvOptions][] = [
  ['depthwise', [2, 6, 9, 7], [6, 1, 3, 3], { groups: 6, padding: 1 }],
  ['Winograd', [2, 16, 9, 11], [20, 16, 3, 3], { padding: 1 }],
  ['im2col, strided, grouped', [3, 6, 10, 9], [8, 3, 3, 3], { stride: 2, groups: 2, padding: 1 }],
  ['pointwise', [2, 8, 5, 7], [6, 8, 1, 1], {}],
  ['1-D', [2, 4, 13], [5, 4, 5], { padding: 2 }],
  ['3-D', [1, 3, 5, 6, 4], [4, 3, 3, 3, 3], { padding: 1 }],
];
const separate = { relu, relu6 } as const;

for (const backend of ['wasm', 'reference']) {
  describe(`conv's activation option on the ${backend} backend`, () => {
    for (const [name, xShape, wShape, options] of cases) {
      it(`${name}: relu and relu6 fused equal the separate ops, NaN included`, () => {
        onBackend(backend, () => {
          const x = random(xShape).mul(4);
          x.data[3] = NaN;
          const [w, b] = [random(wShape), random([wShape[0]])];
          const conv = convOf(x);
          const plain = noGrad(() => conv(x, w, b, options));
          assert.ok(plain.data.some((v) => v < 0) && plain.data.some((v) => v > 6));
          assert.ok(plain.data.some((v) => Number.isNaN(v)));
          for (const activation of ['relu', 'relu6'] as const) {
            const fused = conv(x, w, b, { ...options, activation });
            assertSame(fused, separate[activation](plain), activation);
          }
        });
      });
      it(`${name}: gradients equal those through the separate ops`, () => {
        onBackend(backend, () => {
          for (const activation of ['relu', 'relu6'] as const) {
            const x = random(xShape).mul(4).requireGrad();
            const w = random(wShape).requireGrad();
            const b = random([wShape[0]]).requireGrad();
            const conv = convOf(x);
            conv(x, w, b, { ...options, activation })
              .square()
              .sum()
              .backward();
            const fused = [x.grad!, w.grad!, b.grad!];
            [x, w, b].forEach((t) => (t.grad = null));
            separate[activation](conv(x, w, b, options))
              .square()
              .sum()
              .backward();
            fused.forEach((f, i) => assertSame(f, [x, w, b][i].grad!, `${activation} grad ${i}`));
          }
        });
      });
    }
  });
}

describe("conv's activation option", () => {
  it('passes finite differences (float64, relu and relu6)', () => {
    for (const activation of ['relu', 'relu6'] as const) {
      const x = randn([2, 3, 5, 5], { dtype: 'float64', generator: g }).mul(3);
      const w = randn([4, 3, 3, 3], { dtype: 'float64', generator: g });
      const b = randn([4], { dtype: 'float64', generator: g });
      gradcheck((xi, wi, bi) => conv2d(xi, wi, bi, { padding: 1, activation }), [x, w, b]);
    }
  });

  it('the bias gradient with the weight frozen (no weight job to sum it) passes too', () => {
    const x = randn([2, 3, 5, 5], { dtype: 'float64', generator: g });
    const w = randn([4, 3, 3, 3], { dtype: 'float64', generator: g });
    const b = randn([4], { dtype: 'float64', generator: g });
    const fn = (xi: Tensor, wi: Tensor, bi: Tensor) => conv2d(xi, wi, bi, { activation: 'relu' });
    gradcheck(fn, [x, w, b], { skip: [1] });
  });

  it('refuses an unknown activation, naming the op and the value', () => {
    const [x, w] = [random([1, 2, 5, 5]), random([3, 2, 3, 3])];
    const bad = { activation: 'gelu' } as unknown as ConvOptions;
    assert.throws(
      () => conv2d(x, w, null, bad),
      /conv2d.*activation must be 'relu' or 'relu6'.*'gelu'/,
    );
    assert.throws(() => new Conv2d(2, 3, 3, bad), /Conv2d.*'gelu'/);
    const transposed = { activation: 'relu' } as never;
    assert.throws(() => new ConvTranspose2d(2, 3, 3, transposed), /ConvTranspose2d.*no activation/);
  });

  it("Conv2d({ activation }) is Keras's Conv2D(activation=...): forward, repr, field", () => {
    const layer = new Conv2d(2, 4, 3, { padding: 1, activation: 'relu6' });
    const x = random([2, 2, 6, 6]).mul(5);
    const plain = noGrad(() => conv2d(x, layer.weight, layer.bias, { padding: 1 }));
    assertSame(
      noGrad(() => layer.forward(x)),
      relu6(plain),
      'layer',
    );
    assert.equal(layer.activation, 'relu6');
    assert.match(layer.toString(), /activation=relu6/);
    assert.equal(new Conv2d(2, 4, 3).activation, null);
  });
});

describe('fusion with the activation option', () => {
  it('FusedLayer runs the conv and its ReLU/ReLU6 as one conv, with the same result', () => {
    for (const act of [new ReLU(), new ReLU6()]) {
      const conv = new Conv2d(3, 5, 3);
      const x = random([2, 3, 7, 7]).mul(4);
      const want = noGrad(() => act.forward(conv.forward(x)));
      assertSame(
        noGrad(() => new FusedLayer(conv, act).forward(x)),
        want,
        act.constructor.name,
      );
    }
  });

  it('a conv with its own activation is not fused again, nor a batch norm folded through it', () => {
    const model = new Sequential(
      new Conv2d(2, 4, 3, { activation: 'relu' }),
      new BatchNorm2d(4),
      new ReLU6(),
    );
    const bn = model.at(1) as BatchNorm2d;
    bn.running_mean!.data.set([0.5, -1, 2, 0]);
    bn.running_var!.data.set([2, 0.5, 1, 3]);
    const x = random([2, 2, 6, 6]);
    const before = noGrad(() => model.eval().forward(x));
    fuse(model);
    assert.ok(model.at(0) instanceof Conv2d && model.at(1) instanceof BatchNorm2d);
    assert.ok(!(model.at(2) instanceof Identity));
    assertSame(
      noGrad(() => model.forward(x)),
      before,
      'after fuse',
    );
    const layer = new Conv2d(2, 4, 3, { activation: 'relu' });
    assert.throws(() => new FusedLayer(layer, new ReLU()), FoveaError);
    assert.throws(
      () => fuse(model, { groups: [['0', '1']] }),
      /fuse.*without an activation option/,
    );
  });
});
