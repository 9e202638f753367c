/**
 * fovea's browser build in headless Chromium or Firefox (scripts/browsers.ts): the same runner
 * as the fovea peer, on the wasm backend's Web Workers, in a cross-origin isolated page served
 * from here, called from the page's main thread (whose caller spins, as a page's must). The page
 * times its own runs. `FOVEA_THREADS` sets its threads as it does Node's.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleBrowser } from '../../scripts/build-browser.js';
import { launchBrowser, missingBrowser, type BrowserName } from '../../scripts/browsers.js';
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
  const server = createServer((request, response) => {
    const isolation = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    };
    const url = request.url ?? '';
    const input = inputs.get(url.replace('/inputs/', ''));
    if (url === '/') response.writeHead(200, { 'Content-Type': 'text/html', ...isolation });
    else if (url === '/page.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript', ...isolation });
      return response.end(bundle.outputFiles![0].text);
    } else if (url.startsWith('/inputs/') && input) {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', ...isolation });
      return response.end(input);
    } else response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchBrowser(name);
  const close = async () => {
    await browser.close();
    server.close();
  };
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
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
