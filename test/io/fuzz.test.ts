import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzLoader, fuzzTargets } from '../helpers/fuzz-loaders.js';

/** Inputs per loader here; `npm run fuzz` runs 10,000 (scripts/fuzz.ts). */
const RUNS = Number(process.env.FOVEA_FUZZ_RUNS ?? 500);

describe('fuzzed loaders: every mutated file loads or throws a LoadError naming file and offset', () => {
  for (const target of fuzzTargets()) {
    it(`${target.name}: ${RUNS} mutated inputs`, async () => {
      const stats = await fuzzLoader(target, RUNS);
      assert.equal(stats.inputs, RUNS);
      assert.ok(stats.refused > 0, 'the mutations should break some files');
    });
  }
});
