/**
 * Bundles fovea for browsers (src/browser.ts → dist/browser/fovea.js, one ES module): the wasm
 * backend's Node host (host.ts) swapped for the browser's (host.browser.ts), and the two kernel
 * builds from dist/wasm/ embedded as bytes. `npm run build:browser`; tests call `bundleBrowser`.
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Resolves the Node-only pieces of the wasm backend to their browser counterparts. */
const browserHost: Plugin = {
  name: 'fovea-browser-host',
  setup(build) {
    build.onResolve({ filter: /^\.\/host\.js$/ }, ({ resolveDir }) => ({
      path: join(resolveDir, 'host.browser.ts'),
    }));
    // Code written against fovea's Node entry (the benchmark's runner) gets the browser entry.
    build.onResolve({ filter: /\/src\/index\.js$/ }, ({ path, resolveDir }) =>
      resolve(resolveDir, path) === join(root, 'src', 'index.js')
        ? { path: join(root, 'src', 'browser.ts') }
        : undefined,
    );
    build.onResolve({ filter: /^fovea:kernel-bytes$/ }, () => ({
      path: 'kernel-bytes',
      namespace: 'fovea',
    }));
    build.onLoad({ filter: /.*/, namespace: 'fovea' }, () => ({
      contents:
        "export { default as relaxed } from './dist/wasm/fovea-kernels-relaxed.wasm';\n" +
        "export { default as simd } from './dist/wasm/fovea-kernels.wasm';\n",
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** The esbuild options of the browser bundle; `overrides` (e.g. `write: false`) win. */
export function bundleBrowser(overrides: BuildOptions = {}) {
  return build({
    entryPoints: [join(root, 'src', 'browser.ts')],
    outfile: join(root, 'dist', 'browser', 'fovea.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    loader: { '.wasm': 'binary' },
    plugins: [browserHost],
    logLevel: 'warning',
    ...overrides,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleBrowser();
