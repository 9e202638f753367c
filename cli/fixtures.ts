import { runCases } from '../src/io/torch-fixtures.js';

/**
 * `fovea fixtures DIR...`: runs every op and model case under each folder, prints one line per failing case
 * (name, what differed, max error) and a closing `N passed, M failed` line. Returns the exit code.
 */
export function fixturesCommand(dirs: readonly string[], print: (line: string) => void): number {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const dir of dirs) {
    for (const result of runCases(dir)) {
      if (result.status === 'passed') passed++;
      else if (result.status === 'skipped') {
        skipped++;
        print(`SKIP ${result.name}: ${result.problems.join('; ')}`);
      } else {
        failed++;
        print(`FAIL ${result.name}: ${result.problems.join('; ')}`);
      }
    }
  }
  print(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return failed > 0 || passed + failed === 0 ? 1 : 0;
}
