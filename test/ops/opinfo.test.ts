import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FoveaError } from '../../src/index.js';
import { gradcheck } from '../helpers/gradcheck.js';
import { opInfos } from '../opinfo/index.js';

// The generic tests over the OpInfo table: every sample passes a float64 finite-difference
// gradient check, and every bad call throws a FoveaError with the expected message.
for (const info of opInfos) {
  describe(info.name, () => {
    for (const sample of info.samples()) {
      it(`gradcheck: ${sample.label}`, () => gradcheck(sample.call, sample.inputs, sample.check));
    }
    for (const bad of info.errors?.() ?? []) {
      it(`error: ${bad.label}`, () => {
        assert.throws(bad.call, (e: unknown) => {
          assert.ok(e instanceof FoveaError, `expected a FoveaError, got ${String(e)}`);
          assert.match(e.message, bad.message);
          return true;
        });
      });
    }
  });
}
