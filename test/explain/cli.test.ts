import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { createModel, manualSeed, saveModel } from '../../src/index.js';

const fovea = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { encoding: 'utf8' });

describe('fovea explain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fovea-explain-'));
  manualSeed(0);
  saveModel(join(dir, 'model'), createModel('fashion_cnn', { widthMult: 0.25 }), {
    architecture: { name: 'fashion_cnn', options: { widthMult: 0.25 } },
    inputShape: [1, 28, 28],
    normalization: { mean: [0.286], std: [0.353] },
  });
  const image = join(dir, 'shoe.png');

  it('writes one heat-map PNG per image, 8 times the input size by default', async () => {
    const pixels = Buffer.alloc(28 * 28).map((_, i) => (i % 28 > 8 && i % 28 < 20 ? 200 : 10));
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(image);
    const out = join(dir, 'out');
    const run = fovea(
      'explain',
      dir,
      image,
      '--method',
      'gradcam',
      '--layer',
      'features.6',
      '--out',
      out,
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /shoe\.png: predicted \d, explained \d at features\.6 → .*shoe-gradcam\.png/,
    );
    const meta = await sharp(join(out, 'shoe-gradcam.png')).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 224, 224]);
    const occlusion = fovea(
      'explain',
      dir,
      image,
      '--method',
      'occlusion',
      '--target',
      '3',
      '--scale',
      '2',
      '--out',
      out,
    );
    assert.equal(occlusion.status, 0, occlusion.stderr);
    assert.match(occlusion.stdout, /explained 3 → /);
    assert.deepEqual(readdirSync(out).sort(), ['shoe-gradcam.png', 'shoe-occlusion.png']);
    assert.equal((await sharp(join(out, 'shoe-occlusion.png')).metadata()).width, 56);
  });

  it('draws the feature maps of a layer and the first-layer filters', async () => {
    const out = join(dir, 'maps');
    const features = fovea(
      'explain',
      dir,
      image,
      '--method',
      'features',
      '--layer',
      'features.2',
      '--out',
      out,
    );
    assert.equal(features.status, 0, features.stderr);
    assert.match(
      features.stdout,
      /shoe\.png: 8 feature maps of features\.2 → .*shoe-features\.png/,
    );
    const filters = fovea('explain', dir, '--method', 'filters', '--out', out);
    assert.equal(filters.status, 0, filters.stderr);
    assert.match(filters.stdout, /features\.0: 8 filters of 1×3×3 → .*filters\.png/);
    for (const file of ['shoe-features.png', 'filters.png'])
      assert.equal((await sharp(join(out, file)).metadata()).format, 'png');
  });

  it('refuses an unknown method or layer with a message', () => {
    const method = fovea('explain', dir, image, '--method', 'lime');
    assert.equal(method.status, 2);
    assert.match(method.stderr, /explain: unknown --method 'lime'; use one of gradcam, gradcampp/);
    const none = fovea('explain', dir);
    assert.match(none.stderr, /explain: --method gradcam needs at least one image/);
    const layer = fovea('explain', dir, image, '--layer', 'features.99');
    assert.equal(layer.status, 2);
    assert.match(
      layer.stderr,
      /gradCam: the model has no layer 'features.99'; its layers are features, features.0/,
    );
  });
});
