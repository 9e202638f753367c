import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';

const fovea = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { encoding: 'utf8' });

describe('fovea train, eval, predict, summary', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'fovea-run-')), 'run');
  const quick = ['--limit', '256', '--width', '0.25', '--batch-size', '32'];

  it('trains, evaluates and writes the run folder', () => {
    const run = fovea('train', ...quick, '--epochs', '2', '--out', out);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /epoch 2\/2 .*val_accuracy/);
    assert.match(run.stdout, /test accuracy: [\d.]+% \(256 images\)/);
    for (const file of [
      'model/model.safetensors',
      'model/config.json',
      'metrics.json',
      'log.jsonl',
      'report.html',
      'checkpoints/last.safetensors',
      'checkpoints/best.safetensors',
    ]) {
      assert.ok(existsSync(join(out, file)), file);
    }
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.equal(metrics.history.length, 2);
    assert.equal(
      metrics.confusion.flat().reduce((a: number, b: number) => a + b, 0),
      256,
    );
    const config = JSON.parse(readFileSync(join(out, 'model/config.json'), 'utf8'));
    assert.equal(config.classNames[9], 'Ankle boot');
    assert.equal(config.normalization.mean.length, 1);
    assert.equal(readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').length, 2);
  });

  it('resumes from the last checkpoint and continues with the next epoch', () => {
    const run = fovea('train', ...quick, '--epochs', '3', '--out', out, '--resume', out);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /resumed from .* after epoch 2/);
    assert.match(run.stdout, /epoch 3\/3/);
    assert.doesNotMatch(run.stdout, /epoch 1\/3/);
  });

  it('evaluates a saved model with per-class scores', () => {
    const run = fovea('eval', out);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /accuracy [\d.]+%, loss [\d.]+ on 2000 images/);
    assert.match(run.stdout, /Ankle boot +precision/);
  });

  it('predicts the top classes of an image file', async () => {
    const png = join(out, 'shoe.png');
    await sharp(Buffer.alloc(28 * 28, 200), { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(png);
    const run = fovea('predict', out, png, '--top-k', '2');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /shoe\.png: .+ [\d.]+%, .+ [\d.]+%$/m);
  });

  it('summarises a zoo model with receptive fields', () => {
    const run = fovea('summary', 'lenet5');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Total params: 61,706/);
    assert.match(run.stdout, /Receptive field/);
  });
});
