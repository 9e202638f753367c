import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { finetuneMobilenet } from '../../scripts/finetune-mobilenet.js';

const MODEL = '../shared/fixtures/models/mobilenet_v2/model.onnx';
const skip = existsSync(MODEL) ? false : `${MODEL} is not on this machine`;

describe('fine-tuning an imported MobileNetV2 (scripts/finetune-mobilenet.ts, reduced)', () => {
  it(
    'trains only the new head, and ONNX Runtime runs the exported result as fovea does',
    { skip },
    async () => {
      const result = await finetuneMobilenet({
        model: MODEL,
        trainImages: 64,
        testImages: 32,
        size: 32,
        epochs: 2,
        batchSize: 32,
      });
      assert.deepEqual(result.changed.sort(), ['m.classifier.1.bias', 'm.classifier.1.weight']);
      assert.ok(result.losses[1] < result.losses[0], `losses ${result.losses.join(', ')}`);
      assert.ok(result.ortRelativeDiff <= 1e-5, `relative max diff ${result.ortRelativeDiff}`);
      assert.ok(result.samePredictions);
    },
  );
});
