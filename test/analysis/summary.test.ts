import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatSummary, summary, type ModelSummary } from '../../src/analysis/summary.js';
import { Module } from '../../src/nn/module.js';
import { ReLU } from '../../src/nn/layers/activation.js';
import { Flatten, Identity, Residual, Sequential } from '../../src/nn/layers/container.js';
import { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from '../../src/nn/layers/conv.js';
import { Linear } from '../../src/nn/layers/linear.js';
import { BatchNorm2d } from '../../src/nn/layers/norm.js';
import { AdaptiveAvgPool2d, AvgPool1d, MaxPool2d } from '../../src/nn/layers/pool.js';
import { Upsample } from '../../src/nn/layers/resample.js';
import { relu } from '../../src/ops/activation.js';
import { maxPool2d } from '../../src/ops/pool.js';
import { zeros } from '../../src/tensor/create.js';
import { FoveaError } from '../../src/tensor/errors.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { LeNet5 } from '../../src/nn/zoo/lenet.js';
import { resnet18 } from '../../src/nn/zoo/resnet.js';

const conv3 = (c = 1, options = {}) => new Conv2d(c, c, 3, options);

/** The receptive field sizes (first spatial dim) of the rows of `types`, in order. */
function sizes(s: ModelSummary, ...types: string[]): number[] {
  return s.layers.filter((l) => types.includes(l.type)).map((l) => l.receptiveField!.size[0]);
}

function jumps(s: ModelSummary, ...types: string[]): number[] {
  return s.layers.filter((l) => types.includes(l.type)).map((l) => l.receptiveField!.jump[0]);
}

describe('summary: receptive fields of known stacks', () => {
  it('three 3×3 convs see 7×7; padding moves the start, not the size', () => {
    const padded = summary(
      new Sequential(conv3(1, { padding: 1 }), conv3(1, { padding: 1 }), conv3(1, { padding: 1 })),
      [1, 16, 16],
    );
    assert.deepEqual(sizes(padded, 'Conv2d'), [3, 5, 7]);
    assert.deepEqual(padded.receptiveField, { size: [7, 7], jump: [1, 1], start: [0, 0] });
    const valid = summary(new Sequential(conv3(), conv3(), conv3()), [1, 16, 16]);
    assert.deepEqual(valid.receptiveField, { size: [7, 7], jump: [1, 1], start: [3, 3] });
  });

  it('conv3 stride 2 → pool 2 → conv3: 13 pixels, jump 4, start 6 (by hand)', () => {
    // conv s2: r 3, j 2, c 1; pool: r 3 + 1·2 = 5, j 4, c 1 + 0.5·2 = 2; conv: r 5 + 2·4 = 13, c 2 + 1·4 = 6
    const s = summary(
      new Sequential(conv3(1, { stride: 2 }), new MaxPool2d(2), conv3()),
      [1, 32, 32],
    );
    assert.deepEqual(
      s.layers.map((l) => l.receptiveField),
      [
        { size: [3, 3], jump: [2, 2], start: [1, 1] },
        { size: [5, 5], jump: [4, 4], start: [2, 2] },
        { size: [13, 13], jump: [4, 4], start: [6, 6] },
      ],
    );
  });

  it('VGG-16: conv1_1 3, conv1_2 5, pool1 6, conv2_1 10 ... pool5 212', () => {
    const layers: Module[] = [];
    for (const convs of [2, 2, 3, 3, 3]) {
      for (let i = 0; i < convs; i++) layers.push(conv3(1, { padding: 1 }), new ReLU());
      layers.push(new MaxPool2d(2, { stride: 2 }));
    }
    const s = summary(new Sequential(...layers), [1, 32, 32]);
    assert.deepEqual(
      sizes(s, 'Conv2d', 'MaxPool2d'),
      [3, 5, 6, 10, 14, 16, 24, 32, 40, 44, 60, 76, 92, 100, 132, 164, 196, 212],
    );
    assert.deepEqual(
      jumps(s, 'Conv2d', 'MaxPool2d'),
      [1, 1, 2, 2, 2, 4, 4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 32],
    );
    assert.deepEqual(s.receptiveField!.start, [15.5, 15.5]);
    assert.equal(s.receptiveFieldLayer, '30');
    assert.deepEqual(s.warnings, []); // 212 ≥ 32
  });

  it("AlexNet's features: 11, 19, 51, 67, 99, 131, 163, 195", () => {
    const s = summary(
      new Sequential(
        new Conv2d(1, 2, 11, { stride: 4, padding: 2 }),
        new ReLU(),
        new MaxPool2d(3, { stride: 2 }),
        new Conv2d(2, 2, 5, { padding: 2 }),
        new MaxPool2d(3, { stride: 2 }),
        new Conv2d(2, 2, 3, { padding: 1 }),
        new Conv2d(2, 2, 3, { padding: 1 }),
        new Conv2d(2, 2, 3, { padding: 1 }),
        new MaxPool2d(3, { stride: 2 }),
      ),
      [1, 63, 63],
    );
    assert.deepEqual(sizes(s, 'Conv2d', 'MaxPool2d'), [11, 19, 51, 67, 99, 131, 163, 195]);
    assert.deepEqual(jumps(s, 'Conv2d', 'MaxPool2d'), [4, 8, 8, 16, 16, 16, 16, 32]);
    assert.deepEqual(s.layers.at(-1)!.outputShape, [1, 2, 1, 1]);
  });

  it('dilation, asymmetric and "same" padding, per-dim kernels', () => {
    const s = summary(
      new Sequential(
        new Conv2d(1, 1, [3, 5], { dilation: [2, 1], padding: [[2, 0], 1] }),
        new Conv2d(1, 1, 3, { padding: 'same', dilation: 3 }),
      ),
      [1, 20, 20],
    );
    // rows: r 1 + 2·2 = 5, c 0 + (2 − 2) = 0; then r 5 + 2·3 = 11, c 0 + (3 − 3) = 0
    // cols: r 1 + 4 = 5, c 0 + (2 − 1) = 1; then r 5 + 6 = 11, c 1
    assert.deepEqual(s.receptiveField, { size: [11, 11], jump: [1, 1], start: [0, 1] });
  });

  it('transposed convs: k2 s2 halves the jump (the fractionally strided view)', () => {
    const s = summary(
      new Sequential(
        new Conv2d(1, 1, 2, { stride: 2 }),
        new ConvTranspose2d(1, 1, 2, { stride: 2 }),
      ),
      [1, 8, 8],
    );
    // conv: r 2, j 2, c 0.5; transposed: j 1, r 2 + 1·1 = 3, c 0.5 + (0 − 0.5)·1 = 0
    assert.deepEqual(s.receptiveField, { size: [3, 3], jump: [1, 1], start: [0, 0] });
    assert.deepEqual(s.layers[1].outputShape, [1, 1, 8, 8]);
  });

  it('adaptive pooling: a window of ⌈in/out⌉, stride ⌊in/out⌋; global pooling is not reported', () => {
    const model = new Sequential(
      conv3(1, { padding: 1 }),
      new AdaptiveAvgPool2d(4),
      conv3(1, { padding: 1 }),
      new AdaptiveAvgPool2d(1),
      new Flatten(),
      new Linear(1, 2),
    );
    const s = summary(model, [1, 16, 16]);
    assert.deepEqual(sizes(s, 'Conv2d', 'AdaptiveAvgPool2d'), [3, 6, 14, 26]); // 3 + 3 (j 4); 6 + 2·4; 14 + 3·4
    assert.equal(s.receptiveFieldLayer, '2'); // the conv before global pooling
    assert.deepEqual(s.receptiveField!.size, [14, 14]);
    assert.equal(s.layers[5].receptiveField, null); // Linear: no spatial dims
  });

  it('residual blocks take the larger path; a strided 1×1 shortcut does not shrink the field', () => {
    const block = new Residual(
      new Sequential(
        new Conv2d(1, 1, 3, { stride: 2, padding: 1 }),
        new ReLU(),
        conv3(1, { padding: 1 }),
      ),
      new Conv2d(1, 1, 1, { stride: 2 }),
    );
    const s = summary(
      new Sequential(conv3(1, { padding: 1 }), block, new ReLU(), conv3(1, { padding: 1 })),
      [1, 16, 16],
    );
    // stem r 3; body: 3 + 2 = 5 (j 2), 5 + 2·2 = 9; shortcut: 3 (j 2); after the sum: 9; last conv: 9 + 2·2 = 13
    assert.deepEqual(
      s.layers.map((l) => [l.name, l.receptiveField!.size[0]]),
      [
        ['0', 3],
        ['1.body.0', 5],
        ['1.body.1', 5],
        ['1.body.2', 9],
        ['1.shortcut', 3],
        ['2', 9],
        ['3', 13],
      ],
    );
  });

  it('follows tensors through functional code inside a forward, and says when it cannot', () => {
    class Functional extends Module {
      a = conv3(1, { padding: 1 });
      b = conv3(1, { padding: 1 });
      forward(x: Tensor) {
        return this.b.forward(relu(this.a.forward(relu(x))));
      }
    }
    const s = summary(new Functional(), [1, 8, 8]);
    assert.deepEqual(sizes(s, 'Conv2d'), [3, 5]);
    assert.deepEqual(
      s.warnings.filter((w) => w.includes('outside modules')),
      [],
    );

    class Pooled extends Functional {
      override forward(x: Tensor) {
        return this.b.forward(maxPool2d(this.a.forward(x), { kernelSize: 2 }));
      }
    }
    const p = summary(new Pooled(), [1, 8, 8]);
    assert.equal(p.layers[1].receptiveField, null);
    assert.match(
      p.warnings.join('\n'),
      /'b': its input \[1,1,4,4\] was made outside modules .* wrap that code in a Module/,
    );
  });

  it('upsampling divides the jump; an unknown resizing layer is estimated and named', () => {
    class Halve extends Module {
      forward(x: Tensor) {
        return maxPool2d(x, { kernelSize: 2 });
      }
    }
    const s = summary(
      new Sequential(
        conv3(1, { padding: 1 }),
        new Halve(),
        new Upsample({ scaleFactor: 2 }),
        conv3(1, { padding: 1 }),
      ),
      [1, 8, 8],
    );
    assert.deepEqual(sizes(s, 'Conv2d', 'Halve', 'Upsample'), [3, 4, 4, 6]);
    assert.deepEqual(jumps(s, 'Conv2d', 'Halve', 'Upsample'), [1, 2, 1, 1]);
    assert.equal(s.warnings.length, 2);
    assert.match(
      s.warnings[0],
      /^'1' \(Halve\): it changes the spatial size from 8×8 to 4×4 .* non-overlapping blocks/,
    );
  });
});

describe('summary: zoo models', () => {
  it('ResNet-18: field 435 at layer4, PyTorch-equal parameters and multiply-adds', () => {
    const s = summary(resnet18(), [3, 64, 64]);
    assert.equal(s.receptiveFieldLayer, 'layer4.1.conv2');
    assert.deepEqual(s.receptiveField, { size: [435, 435], jump: [32, 32], start: [0, 0] });
    // The residual sums take the main path: the ReLU after each sum sees what bn2 sees.
    const row = (name: string) => s.layers.filter((l) => l.name === name);
    assert.equal(row('layer2.0.downsample.1')[0].receptiveField!.size[0], 43);
    assert.equal(row('layer2.0.relu').at(-1)!.receptiveField!.size[0], 67);
    // torchvision's resnet18 at 1×3×64×64 with forward hooks applying the same rules.
    assert.equal(s.totals.params, 11_689_512);
    assert.equal(s.totals.macs, 148_760_576);
  });

  it('LeNet-5: 61,706 parameters, a 16×16 field on 28×28 digits', () => {
    const s = summary(new LeNet5(), [1, 28, 28]);
    assert.equal(s.totals.params, 61_706);
    assert.deepEqual(s.receptiveField, { size: [16, 16], jump: [4, 4], start: [5.5, 5.5] });
    assert.equal(s.warnings.length, 1);
    assert.deepEqual(summary(new LeNet5(), [1, 28, 28], { objectSize: 12 }).warnings, []);
  });
});

describe('summary: receptive fields against the gradient', () => {
  /**
   * The first and last input pixel that reach the output unit in the middle (+ shift) of a 1-d
   * model with positive weights — those with a non-zero gradient — and the span [low, high] that
   * its predicted field (start, jump, size) gives for that unit.
   */
  function fieldOfMiddleUnit(model: Module, shift: number) {
    const x = zeros([1, 1, 400]).requireGrad();
    const y = model.forward(x);
    const unit = Math.floor(y.shape[2] / 2) + shift;
    const upstream = zeros(y.shape);
    upstream.data[unit] = 1;
    y.backward(upstream);
    const seen = [...x.grad!.data].flatMap((g, i) => (g !== 0 ? [i] : []));
    const f = summary(model, [1, 400]).layers.at(-1)!.receptiveField!;
    const center = f.start[0] + unit * f.jump[0];
    const radius = (f.size[0] - 1) / 2;
    return {
      first: seen[0] as number | undefined,
      last: seen.at(-1),
      low: center - radius,
      high: center + radius,
    };
  }

  // The pixels that reach an output unit are those with a non-zero gradient when every weight is
  // positive; the field predicted from start, jump and size must span exactly those.
  it('matches for random 1-d stacks of convs and average pools', () => {
    const layer = fc.oneof(
      fc.record({
        kind: fc.constant('conv'),
        k: fc.integer({ min: 1, max: 5 }),
        s: fc.integer({ min: 1, max: 3 }),
        d: fc.integer({ min: 1, max: 3 }),
        p: fc.integer({ min: 0, max: 3 }),
      }),
      fc.record({
        kind: fc.constant('pool'),
        k: fc.integer({ min: 1, max: 4 }),
        s: fc.integer({ min: 1, max: 3 }),
        d: fc.constant(1),
        p: fc.constant(0),
      }),
    );
    fc.assert(
      fc.property(fc.array(layer, { minLength: 1, maxLength: 4 }), (specs) => {
        const model = new Sequential(
          ...specs.map(({ kind, k, s, d, p }) => {
            if (kind === 'pool') return new AvgPool1d(k, { stride: s });
            const conv = new Conv1d(1, 1, k, { stride: s, dilation: d, padding: p, bias: false });
            conv.weight.data.fill(1);
            return conv;
          }),
        );
        const { first, last, low, high } = fieldOfMiddleUnit(model, 0);
        assert.deepEqual([first, last], [low, high], JSON.stringify(specs));
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('bounds the true field of transposed convs, exactly at stride 1', () => {
    const config = fc.record({
      k: fc.integer({ min: 1, max: 5 }),
      s: fc.integer({ min: 1, max: 3 }),
      d: fc.integer({ min: 1, max: 2 }),
      p: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(config, fc.integer({ min: 0, max: 2 }), ({ k, s, d, p }, shift) => {
        fc.pre(p <= d * (k - 1));
        const before = new Conv1d(1, 1, 3, { stride: 2, bias: false });
        const transposed = new ConvTranspose1d(1, 1, k, {
          stride: s,
          dilation: d,
          padding: p,
          bias: false,
        });
        before.weight.data.fill(1);
        transposed.weight.data.fill(1);
        const model = new Sequential(before, transposed);
        const { first, last, low, high } = fieldOfMiddleUnit(model, shift);
        fc.pre(first !== undefined && last !== undefined); // with k < s some units see only inserted zeros
        assert.ok(
          low - 1e-9 <= first && last <= high + 1e-9,
          `[${first}, ${last}] within [${low}, ${high}]`,
        );
        if (s === 1) assert.deepEqual([first, last], [low, high]);
      }),
      { numRuns: 40, seed: 4 },
    );
  });
});

describe('summary: parameters and multiply-adds', () => {
  class SmallCnn extends Module {
    conv1 = new Conv2d(1, 8, 3, { padding: 1 });
    bn = new BatchNorm2d(8);
    relu = new ReLU();
    pool = new MaxPool2d(2);
    conv2 = new Conv2d(8, 16, 3, { padding: 1, groups: 2 });
    up = new ConvTranspose2d(16, 4, 2, { stride: 2, bias: false });
    gap = new AdaptiveAvgPool2d(1);
    flatten = new Flatten();
    fc = new Linear(4, 10);
    forward(x: Tensor) {
      x = this.pool.forward(this.relu.forward(this.bn.forward(this.conv1.forward(x))));
      x = this.pool.forward(this.relu.forward(this.conv2.forward(x)));
      return this.fc.forward(this.flatten.forward(this.gap.forward(this.up.forward(x))));
    }
  }

  it('counts by hand: conv out·(C_in/groups)·k², transposed in·(C_out/groups)·k², linear in·out, BN per element', () => {
    const model = new SmallCnn();
    model.conv1.freeze();
    const s = summary(model, [1, 28, 28]);
    const rows = s.layers.map((l) => [l.name, l.outputShape, l.params, l.macs, l.shared]);
    assert.deepEqual(rows, [
      ['conv1', [1, 8, 28, 28], 80, 8 * 28 * 28 * 9, false], // 56,448
      ['bn', [1, 8, 28, 28], 16, 8 * 28 * 28, false],
      ['relu', [1, 8, 28, 28], 0, 0, false],
      ['pool', [1, 8, 14, 14], 0, 0, false],
      ['conv2', [1, 16, 14, 14], 16 * 4 * 9 + 16, 16 * 14 * 14 * 4 * 9, false], // 112,896
      ['relu', [1, 16, 14, 14], 0, 0, true],
      ['pool', [1, 16, 7, 7], 0, 0, true],
      ['up', [1, 4, 14, 14], 16 * 4 * 4, 16 * 7 * 7 * 4 * 4, false], // 12,544
      ['gap', [1, 4, 1, 1], 0, 0, false],
      ['flatten', [1, 4], 0, 0, false],
      ['fc', [1, 10], 50, 40, false],
    ]);
    assert.deepEqual(s.totals, {
      params: 80 + 16 + 592 + 256 + 50,
      trainable: 16 + 592 + 256 + 50,
      frozen: 80,
      macs: 56448 + 6272 + 112896 + 12544 + 40,
    });
    assert.equal(s.layers[0].trainable, 0);
    assert.equal(s.layers[1].trainable, 16);
  });

  it('restores training modes and removes its wrappers, also when the pass fails', () => {
    const model = new SmallCnn();
    model.train();
    model.bn.eval();
    summary(model, [1, 28, 28]);
    assert.equal(model.training, true);
    assert.equal(model.bn.training, false);
    assert.equal(model.bn.num_batches_tracked!.data[0], 0, 'ran in eval mode');
    for (const [, m] of model.namedModules()) assert.equal(Object.hasOwn(m, 'forward'), false);

    assert.throws(
      () => summary(model, [3, 28, 28]),
      (e: unknown) =>
        e instanceof FoveaError &&
        e.op === 'summary' &&
        /failed in 'conv1' \(Conv2d, input \[1,3,28,28\]\): conv2d: input has 3 channels/.test(
          e.message,
        ),
    );
    assert.equal(model.training, true);
    for (const [, m] of model.namedModules()) assert.equal(Object.hasOwn(m, 'forward'), false);
  });

  it('refuses bad input shapes and object sizes', () => {
    const model = new Sequential(conv3());
    const refuses = (fn: () => unknown, pattern: RegExp) =>
      assert.throws(fn, (e: unknown) => e instanceof FoveaError && pattern.test(e.message));
    refuses(() => summary(model, []), /inputShape should be one input without the batch dim/);
    refuses(() => summary(model, [1, 0, 4]), /got \[1,0,4\]/);
    refuses(
      () => summary(model, [1, 8, 8], { objectSize: [4] }),
      /objectSize should be a positive number or 2 of them/,
    );
    refuses(() => summary(model, [1, 8, 8], { objectSize: -1 }), /objectSize/);
  });
});

describe('summary: warnings', () => {
  const threeConvs = () =>
    new Sequential(
      conv3(1, { padding: 1 }),
      conv3(1, { padding: 1 }),
      conv3(1, { padding: 1 }),
      new AdaptiveAvgPool2d(1),
    );

  it('warns when the last spatial layer sees less than the input, saying what to do', () => {
    const s = summary(threeConvs(), [1, 32, 32]);
    assert.equal(s.warnings.length, 1);
    assert.match(
      s.warnings[0],
      /'2' \(Conv2d\), is 7×7 pixels, smaller than the input \(32×32 pixels\)/,
    );
    assert.match(
      s.warnings[0],
      /no unit sees the whole image.*add depth .* dilated convolutions, or striding\/pooling earlier/,
    );
  });

  it('does not warn when the field covers the input or the given object size', () => {
    assert.deepEqual(summary(threeConvs(), [1, 7, 7]).warnings, []);
    assert.deepEqual(summary(threeConvs(), [1, 32, 32], { objectSize: 7 }).warnings, []);
    const s = summary(threeConvs(), [1, 32, 32], { objectSize: [6, 9] });
    assert.match(s.warnings[0], /smaller than the objects \(6×9 pixels, the objectSize given\)/);
  });

  it('has no field and no warning for a model without spatial layers', () => {
    const s = summary(new Sequential(new Linear(4, 3), new ReLU()), [4]);
    assert.equal(s.receptiveField, null);
    assert.deepEqual(s.warnings, []);
    assert.deepEqual(s.totals, { params: 15, trainable: 15, frozen: 0, macs: 12 });
  });
});

describe('formatSummary', () => {
  it('prints a table, the totals, the field and the warnings', () => {
    const model = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
      new Identity(),
      new Flatten(),
      new Linear(4 * 16 * 16, 1000),
    );
    const text = formatSummary(summary(model, [1, 32, 32]));
    const lines = text.split('\n');
    assert.match(lines[1], /^Layer \(type\) +Output shape +Param # +Mult-adds +RF +Jump +Start$/);
    assert.match(lines[3], /^0 \(Conv2d\) +\[1,4,32,32\] +40 +36,864 +3×3 +1×1 +0×0$/);
    assert.match(text, /^5 \(Linear\) +\[1,1000\] +1,025,000 +1,024,000 +- +- +-$/m);
    assert.match(text, /^3 \(Identity\) +\[1,4,16,16\] +0 +0 +4×4 +2×2 +0\.5×0\.5$/m);
    assert.match(text, /^Total params: 1,025,040$/m);
    assert.match(text, /^Trainable params: 1,025,040$/m);
    assert.match(text, /^Non-trainable params: 0$/m);
    assert.match(text, /^Total mult-adds: 1\.06 M$/m);
    assert.match(text, /^Input shape: \[1,1,32,32\]$/m);
    assert.match(
      text,
      /^Receptive field of the last spatial layer \(2\): 4×4 pixels, jump 2×2, start 0\.5×0\.5$/m,
    );
    assert.match(
      lines.at(-1)!,
      /^Warning: The receptive field of the last spatial layer, '2' \(MaxPool2d\), is 4×4 pixels/,
    );
    const tableRows = lines.slice(1, 2).concat(lines.slice(3, 9));
    assert.equal(new Set(tableRows.map((l) => l.length)).size, 1, 'columns are aligned');
    assert.equal(lines[0].length, lines[1].length);
  });

  it('marks the second call of a shared layer', () => {
    class Twice extends Module {
      conv = conv3(1, { padding: 1 });
      forward(x: Tensor) {
        return this.conv.forward(this.conv.forward(x));
      }
    }
    const s = summary(new Twice(), [1, 8, 8]);
    assert.deepEqual(
      s.layers.map((l) => [l.params, l.shared, l.macs]),
      [
        [10, false, 576],
        [0, true, 576],
      ],
    );
    assert.equal(s.totals.params, 10);
    assert.equal(s.totals.macs, 1152);
    assert.match(formatSummary(s), /^conv \(Conv2d\) +\[1,1,8,8\] +\(shared\) +576 +5×5/m);
  });
});
