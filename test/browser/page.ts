/**
 * What the test pages run (bundled with the scenario and served next to fovea.js): each function
 * loads the browser bundle from the page's own folder and reports back plain data.
 */
import type * as Fovea from '../../src/browser.js';
import { scenario, type ScenarioResult } from './scenario.js';

// The browser globals used here (the project compiles without the DOM's types).
declare const crossOriginIsolated: boolean;
declare const navigator: { hardwareConcurrency: number };
declare class Worker {
  constructor(url: string, options: { type: 'module' });
  onmessage: (event: { data: WorkerRun }) => void;
  onerror: (event: { message: string }) => void;
  postMessage(data: unknown): void;
}

/** How one run went: where, on how many threads, and the scenario's numbers. */
export interface WorkerRun {
  info: Fovea.WasmInfo;
  result: ScenarioResult;
}
export interface PageRun extends WorkerRun {
  isolated: boolean;
  cores: number;
}

const folder = new URL('.', import.meta.url).href;

/** The browser bundle served next to this script. */
export function loadFovea(): Promise<typeof Fovea> {
  return import(`${folder}fovea.js`);
}

/** The scenario on the wasm backend, started with `threads` (or the default), on this thread. */
export async function run(threads?: number): Promise<WorkerRun> {
  const fovea = await loadFovea();
  const info = await fovea.ready(threads === undefined ? {} : { threads });
  return { info, result: await scenario(fovea, 'wasm') };
}

/** `run` on the page's main thread. */
export async function onMainThread(threads?: number): Promise<PageRun> {
  return {
    isolated: crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    ...(await run(threads)),
  };
}

/** `run` in a module worker (worker.ts). */
export function inWorker(threads?: number): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(`${folder}worker.js`, { type: 'module' });
    worker.onmessage = ({ data }) => resolve(data);
    worker.onerror = ({ message }) => reject(new Error(message));
    worker.postMessage(threads);
  });
}

/** What fovea says, in order: an op before `ready()`, `ready({ threads })`, an op while it
 * starts, the op once started, then `ready({ threads })` again. */
export async function errors(threads: number): Promise<string[]> {
  const fovea = await loadFovea();
  const x = fovea.randn([1, 1, 4, 4]);
  const w = fovea.randn([1, 1, 3, 3]);
  const conv = () => {
    try {
      return `shape ${fovea.conv2d(x, w).shape.join('x')}`;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const refused = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (error: Error) => error.message,
    );
  const said = [conv(), await refused(fovea.ready({ threads }))];
  const starting = fovea.ready();
  said.push(conv());
  await starting;
  said.push(conv(), await refused(fovea.ready({ threads })));
  return said;
}

/** How training on the shipped Fashion-MNIST sample went in the page. */
export interface FashionRun {
  threads: number;
  cores: number;
  trainImages: number;
  testImages: number;
  /** Accuracy on the test images after one epoch. */
  accuracy: number;
}

/**
 * Trains fovea's default CNN (fashion_cnn at a quarter width) for one epoch on the shipped
 * Fashion-MNIST sample, fetched from `data/` next to the page, gunzipped by the browser and read
 * with `readIdx`, and reports the test accuracy: what `npm start` does, in a page.
 */
export async function trainFashionMnist(): Promise<FashionRun> {
  const fovea = await loadFovea();
  const { threads } = await fovea.ready();
  const idx = async (name: string) => {
    const body = (await fetch(`${folder}data/${name}`)).body!;
    const bytes = await new Response(
      body.pipeThrough(new DecompressionStream('gzip')),
    ).arrayBuffer();
    return fovea.readIdx(new Uint8Array(bytes), name);
  };
  const dataset = async (split: 'train' | 't10k') => {
    const images = await idx(`${split}-images-idx3-ubyte.gz`);
    const labels = await idx(`${split}-labels-idx1-ubyte.gz`);
    const [count, h, w] = images.shape;
    const x = images.to('float32').div(255).sub(0.286).div(0.353).reshape([count, 1, h, w]);
    return new fovea.TensorDataset(x, labels.to('int32'));
  };
  const [train, test] = [await dataset('train'), await dataset('t10k')];
  fovea.manualSeed(0);
  const model = fovea.createModel('fashion_cnn', { widthMult: 0.25 });
  const optimizer = new fovea.Adam(model.parameters(), { lr: 2e-3 });
  const [logs] = await fovea.fit(model, train, { optimizer, batchSize: 64, validation: test });
  return {
    threads,
    cores: navigator.hardwareConcurrency,
    trainImages: train.length,
    testImages: test.length,
    accuracy: logs.val_accuracy,
  };
}
