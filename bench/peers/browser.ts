/**
 * fovea's browser build in headless Chromium or Firefox (scripts/browsers.ts): the same runner
 * as the fovea peer, on the wasm backend's Web Workers, in a cross-origin isolated page served
 * from here, called from the page's main thread (whose caller spins, as a page's must). The page
 * times its own runs. `FOVEA_THREADS` sets its threads as it does Node's.
 */
import { bundleBrowser } from '../../scripts/build-browser.js';
import {
  launchBrowser,
  missingBrowser,
  serveLocally,
  type BrowserName,
} from '../../scripts/browsers.js';
import type { Peer } from '../peer.js';

/** The page's module, as the peer calls it (bench/peers/browser-page.ts). */
const PAGE = 'globalThis.page';

/** The browser `name` with fovea's page loaded; throws (the table says why) without one. */
export async function loadBrowserPeer(name: BrowserName): Promise<Peer> {
  const missing = missingBrowser(name);
  if (missing) throw new Error(missing);
  const bundle = await bundleBrowser({
    entryPoints: ['bench/peers/browser-page.ts'],
    write: false,
    sourcemap: false,
  });
  let inputs = new Map<string, Uint8Array>();
  const server = await serveLocally(
    (path) => {
      if (path === '/') return { type: 'text/html', body: '' };
      if (path === '/page.js')
        return { type: 'text/javascript', body: bundle.outputFiles![0].text };
      const input = path.startsWith('/inputs/') && inputs.get(path.slice('/inputs/'.length));
      return input ? { type: 'application/octet-stream', body: input } : undefined;
    },
    () => true,
  );
  const browser = await launchBrowser(name);
  const close = async () => {
    await browser.close();
    server.close();
  };
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    const threads = process.env.FOVEA_THREADS ? Number(process.env.FOVEA_THREADS) : undefined;
    const info = (await page.evaluate(
      `import('/page.js').then((page) => (${PAGE} = page).start(${threads}))`,
    )) as { isa: string; threads: number };
    return {
      name,
      label: `fovea in ${await browser.version()} (wasm, ${info.threads} threads, ${info.isa})`,
      async prepare(workload, operands) {
        inputs = new Map(
          Object.entries(operands).map(([name, { data }]) => [
            name,
            new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
          ]),
        );
        const described = Object.entries(operands).map(([name, { data, shape }]) => ({
          name,
          shape,
          dtype: data instanceof Int32Array ? 'int32' : 'float32',
        }));
        await page.evaluate(
          `${PAGE}.prepare(${JSON.stringify(workload)}, ${JSON.stringify(described)})`,
        );
        return { run: async () => (await page.evaluate(`${PAGE}.runOnce()`)) as number };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
