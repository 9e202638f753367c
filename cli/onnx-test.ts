import { findBackendTests, runBackendTest } from '../src/onnx/backend-test.js';

/**
 * `fovea onnx-test DIR...`: runs every ONNX backend test folder (model.onnx + test_data_set_*)
 * found under each DIR, prints one line per failing test and a closing `N passed, M failed`.
 * Returns the exit code (1 when a test failed or none was found).
 */
export function onnxTestCommand(dirs: readonly string[], print: (line: string) => void): number {
  let passed = 0;
  let failed = 0;
  for (const dir of dirs) {
    for (const folder of findBackendTests(dir)) {
      const result = runBackendTest(folder);
      if (result.passed) passed++;
      else {
        failed++;
        print(`FAIL ${folder}: ${result.problem}`);
      }
    }
  }
  print(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}
