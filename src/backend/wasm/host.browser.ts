/**
 * The wasm backend's host in a browser (the browser bundle puts this in place of host.ts): the
 * kernel bytes embedded in the bundle and compiled asynchronously (browsers refuse synchronous
 * compiles of more than 4 KB on the main thread), Web Workers started from a blob URL, and a
 * caller that spins while the workers compute (a page's main thread may not Atomics.wait).
 *
 * Workers share the memory only in a cross-origin isolated page (served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`);
 * elsewhere the backend runs on the calling thread alone.
 */
import { relaxed, simd } from 'fovea:kernel-bytes';
import { workerLoop, type WasmHost } from './host-api.js';

/** The slice of the browser's globals used here (fovea compiles without the DOM's types). */
interface BrowserWorker {
  onmessage: ((event: unknown) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  postMessage(data: unknown): void;
}
interface BrowserGlobals {
  WebAssembly: {
    validate(bytes: Uint8Array): boolean;
    compile(bytes: Uint8Array): Promise<object>;
  };
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker: new (url: string) => BrowserWorker;
  Blob: new (parts: string[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string };
}
const browser = globalThis as unknown as BrowserGlobals;

/** A worker takes its data in its first message, says it is listening, then runs jobs. */
const workerSource = `onmessage = ({ data }) => {
  onmessage = null;
  const { module, memory, thread, threads, control, job, work } = data;${workerLoop}
  postMessage('listening');
  serve();
};`;
let workerUrl: string | undefined;

/** One per core where workers can share memory (a cross-origin isolated page), else one. */
export function threadCount(): number {
  return browser.crossOriginIsolated ? (browser.navigator?.hardwareConcurrency ?? 1) : 1;
}

/** A browser as the wasm backend's host. */
export const host: WasmHost = {
  compile() {
    throw new Error(
      'fovea: in a browser the WebAssembly backend starts asynchronously; ' +
        "`await ready()` before the first op (or setBackend('reference'))",
    );
  },
  async compileAsync() {
    const isa = browser.WebAssembly.validate(relaxed) ? 'relaxed-simd' : 'simd';
    return { isa, module: await browser.WebAssembly.compile(isa === 'simd' ? simd : relaxed) };
  },
  threadCount,
  startWorker(data) {
    if (!browser.crossOriginIsolated) {
      throw new Error(
        'fovea: WebAssembly threads in a browser need a cross-origin isolated page (served with ' +
          'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: ' +
          'require-corp); ready({ threads: 1 }) runs without them',
      );
    }
    workerUrl ??= browser.URL.createObjectURL(
      new browser.Blob([workerSource], { type: 'text/javascript' }),
    );
    const worker = new browser.Worker(workerUrl);
    return new Promise((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = ({ message }) =>
        reject(new Error(`fovea: a WebAssembly worker failed to start: ${message}`));
      worker.postMessage(data);
    });
  },
  // Spins, on a page's main thread (where Atomics.wait throws) and in a Worker alike: a Worker
  // caller sleeping in Atomics.wait got wrong results from Firefox 153 in 4 of 14 loaded runs of
  // the browser test (0 of 14 spinning; Chromium either way), a cause not found in fovea's code.
  waitWhile(words, index, value) {
    while (Atomics.load(words, index) === value);
  },
};
