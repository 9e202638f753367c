/**
 * The browser bundle in headless Chromium and Firefox (Debian's `chromium` and `firefox-esr`; CI
 * installs them; scripts/browsers.ts): the wasm backend on Web Workers in a cross-origin isolated
 * page, from the page's main thread (a spinning caller) and from a module worker (a blocking
 * one), on the calling thread alone in a page without isolation, and its errors before
 * `ready()`. Each run's numbers are checked against the same scenario on Node's reference backend.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser } from 'puppeteer-core';
import { bundleBrowser } from '../../scripts/build-browser.js';
import {
  launchBrowser,
  missingBrowser,
  serveLocally,
  type BrowserName,
  type LocalServer,
  type ServedFile,
} from '../../scripts/browsers.js';
import * as fovea from '../../src/index.js';
import type { FashionRun, PageRun, WorkerRun } from './page.js';
import { scenario, type ScenarioResult } from './scenario.js';

/** Each browser, and the kernels' build it should run (relaxed SIMD where the engine has it). */
const browsers: [BrowserName, string][] = [
  ['chromium', 'relaxed-simd'],
  ['firefox', 'relaxed-simd'],
];

/** The shipped Fashion-MNIST sample, served under data/ for the page that trains on it. */
const FASHION_FILES = ['train', 't10k'].flatMap((split) => [
  `${split}-images-idx3-ubyte.gz`,
  `${split}-labels-idx1-ubyte.gz`,
]);

/** Serves the bundle, the page scripts, the sample and a blank page, isolated under /isolated/. */
async function serve(): Promise<LocalServer> {
  const scripts = (entry: string) =>
    build({ entryPoints: [`test/browser/${entry}.ts`], bundle: true, format: 'esm', write: false });
  const bundles = await Promise.all([
    bundleBrowser({ write: false, sourcemap: false }),
    scripts('page'),
    scripts('worker'),
  ]);
  const [fovea, page, worker] = bundles.map(({ outputFiles }) => outputFiles![0].text);
  const sample = (name: string): ServedFile => ({
    type: 'application/gzip',
    body: readFileSync(`data/fashion-mnist/${name}`),
  });
  const files: Record<string, ServedFile> = {
    ...Object.fromEntries(FASHION_FILES.map((name) => [`data/${name}`, sample(name)])),
    'index.html': { type: 'text/html', body: '<!doctype html><title>fovea</title>' },
    'fovea.js': { type: 'text/javascript', body: fovea },
    'page.js': { type: 'text/javascript', body: page },
    'worker.js': { type: 'text/javascript', body: worker },
  };
  const area = (path: string) => path.split('/')[1];
  return serveLocally(
    (path) =>
      ['isolated', 'plain'].includes(area(path))
        ? files[path.split('/').slice(2).join('/')]
        : undefined,
    (path) => area(path) === 'isolated',
  );
}

function assertClose(actual: number[], expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = expected.reduce((largest, value) => Math.max(largest, Math.abs(value)), 1);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    assert.ok(error <= 1e-4 * scale, `${what}[${i}]: ${actual[i]} against ${expected[i]}`);
  }
}

/** The scenario on Node's reference backend, the oracle for every browser run. */
async function expected(): Promise<ScenarioResult> {
  const previous = fovea.getBackend().name;
  try {
    return await scenario(fovea, 'reference');
  } finally {
    fovea.setBackend(previous);
  }
}

function assertMatches(result: ScenarioResult, oracle: ScenarioResult): void {
  for (const key of Object.keys(oracle) as (keyof ScenarioResult)[]) {
    assertClose(result[key], oracle[key], key);
  }
  assert.ok(result.losses[2] < result.losses[0], `the loss falls: ${result.losses.join(', ')}`);
}

for (const [name, isa] of browsers) {
  // A caller spinning for a worker that never answers hangs the page: fail in time instead.
  describe(
    `the browser bundle in headless ${name}`,
    { skip: missingBrowser(name) ?? false, timeout: 120_000 },
    () => {
      let server: LocalServer;
      let browser: Browser;
      let origin: string;
      let oracle: ScenarioResult;

      before(async () => {
        server = await serve();
        origin = server.origin;
        browser = await launchBrowser(name);
        oracle = await expected();
      });
      after(async () => {
        await browser?.close();
        server?.close();
      });

      /** Evaluates `call` (an expression over `page`, the module page.ts) in a fresh page of `area`. */
      async function inPage<T>(area: 'isolated' | 'plain', call: string): Promise<T> {
        const page = await browser.newPage();
        try {
          await page.goto(`${origin}/${area}/index.html`);
          return (await page.evaluate(`import('./page.js').then((page) => ${call})`)) as T;
        } finally {
          await page.close();
        }
      }

      it('trains on Web Workers from the main thread of an isolated page', async () => {
        const run = await inPage<PageRun>('isolated', 'page.onMainThread(2)');
        assert.equal(run.isolated, true);
        assert.deepEqual(run.info, { isa, threads: 2 });
        assertMatches(run.result, oracle);
      });

      it('starts one thread per core by default in an isolated page', async () => {
        const run = await inPage<PageRun>('isolated', 'page.onMainThread()');
        assert.equal(run.info.threads, run.cores);
        assertMatches(run.result, oracle);
      });

      it('trains on Web Workers from a module worker', async () => {
        const run = await inPage<WorkerRun>('isolated', 'page.inWorker(2)');
        assert.deepEqual(run.info, { isa, threads: 2 });
        assertMatches(run.result, oracle);
      });

      it('runs on the calling thread alone in a page without cross-origin isolation', async () => {
        const run = await inPage<PageRun>('plain', 'page.onMainThread()');
        assert.equal(run.isolated, false);
        assert.deepEqual(run.info, { isa, threads: 1 });
        assertMatches(run.result, oracle);
      });

      it('trains the default CNN on the shipped Fashion-MNIST sample, read with readIdx', async (t) => {
        const started = performance.now();
        const run = await inPage<FashionRun>('isolated', 'page.trainFashionMnist()');
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        t.diagnostic(`test accuracy ${run.accuracy} after one epoch, in ${seconds} s`);
        assert.equal(run.threads, run.cores);
        assert.deepEqual([run.trainImages, run.testImages], [10_000, 2_000]);
        assert.ok(run.accuracy >= 0.7, `test accuracy after one epoch: ${run.accuracy}`);
      });

      it('says what to do: ready() first, isolation for threads, one thread count', async () => {
        const said = await inPage<string[]>('plain', 'page.errors(2)');
        assert.match(said[0], /starts asynchronously; `await ready\(\)` before the first op/);
        assert.match(said[1], /cross-origin isolated page .*ready\(\{ threads: 1 \}\)/);
        assert.match(said[2], /still starting; `await ready\(\)` before the first op/);
        assert.equal(said[3], 'shape 1x1x2x2');
        assert.match(said[4], /already runs 1 threads, not 2/);
      });
    },
  );
}
