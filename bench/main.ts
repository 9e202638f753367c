/**
 * `npm run bench`: fovea against TensorFlow.js (cpu, wasm), ONNX Runtime and PyTorch on the
 * workloads of issue 4 — SGEMM, convolutions, Keras-CNN training and inference — one table with
 * ratios and the goals; `--json FILE` writes it all. `--help` lists the options.
 */
import { writeFileSync } from 'node:fs';
import { parseOptions, USAGE } from './options.js';
import { runBenchmark } from './run.js';
import { formatReport } from './table.js';

const options = parseOptions(process.argv.slice(2));
if (options === 'help') {
  console.log(USAGE);
} else {
  const report = await runBenchmark(options, (line) => console.error(line));
  console.log(formatReport(report));
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${options.json}`);
  }
}
