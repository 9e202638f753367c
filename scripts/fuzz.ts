/**
 * Fuzzes every file loader with 10,000 mutated inputs each (or the count given as the first
 * argument), as CI does: `npm run fuzz [-- runs]`. Prints one line of figures per loader and
 * exits non-zero, with fast-check's counterexample, when an input breaks a rule (see
 * test/helpers/fuzz-loaders.ts).
 */
import { LoadError } from '../src/tensor/errors.js';
import { fuzzLoader, fuzzTargets } from '../test/helpers/fuzz-loaders.js';

const runs = Number(process.argv[2] ?? 10_000);
const seed = Number(process.env.FOVEA_FUZZ_SEED ?? Date.now() % 2 ** 31);
console.log(`fuzzing each loader with ${runs} mutated inputs (seed ${seed})`);
for (const target of fuzzTargets()) {
  const start = performance.now();
  const s = await fuzzLoader(target, runs, seed);
  console.log(
    `${s.target.padEnd(12)} ${s.inputs} inputs: ${s.loaded} loaded, ${s.refused} refused with a ${(target.refusal ?? LoadError).name}; ` +
      `slowest ${s.slowestMs.toFixed(1)} ms, at most ${s.maxElementsPerByte.toFixed(2)} elements per byte ` +
      `(${((performance.now() - start) / 1000).toFixed(1)} s)`,
  );
}
