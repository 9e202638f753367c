/**
 * The browsers that fovea's browser build is tested (test/browser) and benchmarked (bench/peers)
 * in: Debian's `chromium` and `firefox-esr`, driven headless by puppeteer-core (over the DevTools
 * protocol and WebDriver BiDi). `CHROMIUM_PATH` and `FIREFOX_PATH` point elsewhere.
 */
import { existsSync } from 'node:fs';
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
