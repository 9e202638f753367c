import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  crossEntropy,
  diceLoss,
  focalLoss,
  randn,
  sigmoidFocalLoss,
  tensor,
  zeros,
} from '../../src/index.js';

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`);
const int = (values: number[], shape = [values.length]) =>
  tensor(values, { dtype: 'int32', shape });

describe('focalLoss', () => {
  it('is (1 − p_t)^γ·(−ln p_t), scaled by the target class α', () => {
    // Two equal logits: p_t = ½, so the loss is ¼·ln 2, and α_0 = 0.25 scales it.
    const logits = zeros([1, 2], { dtype: 'float64' });
    close(focalLoss(logits, int([0])).item(), 0.25 * Math.LN2);
    close(focalLoss(logits, int([0]), { alpha: tensor([0.25, 0.75]) }).item(), 0.0625 * Math.LN2);
  });

  it('with γ = 0 and no α equals crossEntropy, ignored targets included', () => {
    const logits = randn([6, 4], { dtype: 'float64' });
    const target = int([3, -100, 0, 2, 1, 1]);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const focal = focalLoss(logits, target, { gamma: 0, reduction });
      const ce = crossEntropy(logits, target, { reduction });
      assert.deepEqual(focal.shape, ce.shape);
      focal.data.forEach((v, i) => close(v, ce.data[i]));
    }
  });

  it('down-weights easy samples', () => {
    const logits = tensor([[4, 0]], { dtype: 'float64' }); // p_t ≈ 0.98 for class 0
    const ratio = focalLoss(logits, int([0])).item() / crossEntropy(logits, int([0])).item();
    close(ratio, (1 / (1 + Math.exp(4))) ** 2);
  });
});

describe('sigmoidFocalLoss', () => {
  it("defaults to torchvision's alpha 0.25, gamma 2 and reduction 'none'", () => {
    // Logit 0: p = ½, BCE = ln 2, factor ¼; α_t = 0.25 for a positive, 0.75 for a negative.
    const out = sigmoidFocalLoss(
      zeros([2], { dtype: 'float64' }),
      tensor([1, 0], { dtype: 'float64' }),
    );
    assert.deepEqual(out.shape, [2]);
    close(out.data[0], 0.25 * 0.25 * Math.LN2);
    close(out.data[1], 0.75 * 0.25 * Math.LN2);
  });
});

describe('diceLoss', () => {
  it('binary: 1 − (2·Σpy + s)/(Σp + Σy + s) per sample and channel', () => {
    const logits = zeros([1, 1, 2, 2], { dtype: 'float64' }); // p = ½ everywhere
    const mask = tensor([1, 0, 0, 1], { dtype: 'float64', shape: [1, 1, 2, 2] });
    close(diceLoss(logits, mask, { mode: 'binary' }).item(), 1 - 3 / 5);
    close(diceLoss(logits, mask, { mode: 'binary', smooth: 0 }).item(), 1 - 2 / 4);
  });

  it('multiclass: one-hot targets, per class, ignored pixels left out of every sum', () => {
    const logits = zeros([1, 2, 2], { dtype: 'float64' }); // p = ½ for both classes
    close(diceLoss(logits, int([0, 1], [1, 2])).item(), 1 - 2 / 3);
    // Pixel 1 ignored: class 0 has Σpy = ½, Σp = ½, Σy = 1; class 1 has Σp = ½ and nothing else.
    const none = diceLoss(logits, int([0, -100], [1, 2]), { reduction: 'none' });
    assert.deepEqual(none.shape, [1, 2]);
    close(none.data[0], 1 - 2 / 2.5);
    close(none.data[1], 1 - 1 / 1.5);
  });

  it('is near 0 for a confident, correct prediction and near 1 for a wrong one', () => {
    const target = int([0, 1, 1, 0], [1, 2, 2]);
    const right = tensor(
      [
        [
          [
            [20, -20],
            [-20, 20],
          ],
          [
            [-20, 20],
            [20, -20],
          ],
        ],
      ],
      { dtype: 'float64' },
    );
    assert.ok(diceLoss(right, target, { smooth: 0 }).item() < 1e-8);
    assert.ok(diceLoss(right.neg(), target, { smooth: 0 }).item() > 1 - 1e-8);
  });
});
