/**
 * PyTorch, optional: bench/peers/pytorch_peer.py in a subprocess of the Python that has torch
 * (`FOVEA_BENCH_PYTHON`, default /usr/bin/python3), 2 threads, timing its own runs. Inputs go to it
 * as raw files in a temporary folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Peer } from '../peer.js';

/** Threads PyTorch computes on: the machine's two cores. */
const THREADS = 2;

const SCRIPT = fileURLToPath(new URL('./pytorch_peer.py', import.meta.url));

interface Reply {
  error?: string;
  torch?: string;
  threads?: number;
  /** The BLAS library torch.mm runs on: SGEMM and Linear speed depend on it. */
  blas?: string;
  ms?: number;
}

/** The started script: one request at a time, each answered by one line. */
function startScript(python: string): { request(message?: object): Promise<Reply>; end(): void } {
  const child = spawn(python, [SCRIPT, String(THREADS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<never>((_, reject) => {
    child.on('error', reject);
    child.on('close', (code) => reject(new Error(`${python} exited (code ${code})`)));
  });
  exited.catch(() => undefined);
  const next = async (): Promise<Reply> => {
    const line = await Promise.race([lines.next(), exited]);
    if (line.done) throw new Error(`${python} closed its output`);
    const reply = JSON.parse(line.value) as Reply;
    if (reply.error) throw new Error(reply.error);
    return reply;
  };
  return {
    request(message) {
      if (message) child.stdin.write(`${JSON.stringify(message)}\n`);
      return next();
    },
    end: () => child.stdin.end(),
  };
}

/** PyTorch in a subprocess; throws (the table says why) when Python or torch is missing. */
export async function loadPyTorchPeer(): Promise<Peer> {
  const python = process.env.FOVEA_BENCH_PYTHON ?? '/usr/bin/python3';
  const script = startScript(python);
  const hello = await script.request();
  const folder = mkdtempSync(join(tmpdir(), 'fovea-bench-'));
  return {
    name: 'pytorch',
    label: `PyTorch ${hello.torch} (${hello.threads} threads, BLAS: ${hello.blas})`,
    async prepare(workload, inputs) {
      const files = Object.fromEntries(
        Object.entries(inputs).map(([name, { data, shape }]) => {
          const file = join(folder, `${name}.bin`);
          writeFileSync(file, data);
          return [name, { file, shape, dtype: data instanceof Int32Array ? 'int32' : 'float32' }];
        }),
      );
      await script.request({ prepare: workload, inputs: files });
      return { run: async () => (await script.request({ run: true })).ms! };
    },
    close() {
      script.end();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
