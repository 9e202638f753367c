/**
 * The browsers that fovea's browser build is tested (test/browser) and benchmarked (bench/peers)
 * in: Debian's `chromium` and `firefox-esr`, driven headless by puppeteer-core (over the DevTools
 * protocol and WebDriver BiDi), and the local server that hands them their pages.
 * `CHROMIUM_PATH` and `FIREFOX_PATH` point elsewhere.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser } from 'puppeteer-core';

/** A browser by its short name. */
export type BrowserName = 'chromium' | 'firefox';

const executables: Record<BrowserName, string> = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  firefox: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
};

/** Why `name` cannot run here (its executable is missing), or undefined when it can. */
export function missingBrowser(name: BrowserName): string | undefined {
  const path = executables[name];
  if (existsSync(path)) return undefined;
  return `no ${name} at ${path} (set ${name.toUpperCase()}_PATH)`;
}

/** Starts `name` headless. */
export function launchBrowser(name: BrowserName): Promise<Browser> {
  return puppeteer.launch({
    browser: name === 'chromium' ? 'chrome' : 'firefox',
    executablePath: executables[name],
    headless: true,
    // Chromium's sandbox needs a user namespace, which CI's containers (running as root) lack.
    args: name === 'chromium' ? ['--no-sandbox'] : [],
  });
}

/** A file a local server hands out: its content type and bytes. */
export interface ServedFile {
  type: string;
  body: string | Uint8Array;
}

/** A started local server: its origin, and how to stop it. */
export interface LocalServer {
  origin: string;
  close(): void;
}

/**
 * Serves on 127.0.0.1 (any free port) what `lookup` finds for each request path, else 404;
 * `isolated(path)` says which responses carry the two headers that make a page cross-origin
 * isolated (Cross-Origin-Opener-Policy and -Embedder-Policy), which workers sharing memory need.
 */
export async function serveLocally(
  lookup: (path: string) => ServedFile | undefined,
  isolated: (path: string) => boolean,
): Promise<LocalServer> {
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const file = lookup(path);
    if (!file) return response.writeHead(404).end();
    const isolation = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    };
    response.writeHead(200, { 'Content-Type': file.type, ...(isolated(path) ? isolation : {}) });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}
