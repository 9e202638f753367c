import { FoveaError } from './errors.js';
import type { Backend } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/index.js';
import { wasmBackend } from '../backend/wasm/index.js';

const backends = new Map<string, Backend>(
  [referenceBackend, wasmBackend].map((backend) => [backend.name, backend]),
);

/** Makes a backend available to `setBackend` under its name. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** The backend named `name`, or a FoveaError listing the ones there are. */
function lookup(name: string, source: string): Backend {
  const backend = backends.get(name);
  if (!backend) {
    throw new FoveaError(
      source,
      `unknown backend '${name}' (available: ${[...backends.keys()].join(', ')})`,
    );
  }
  return backend;
}

/** The environment's choice (`FOVEA_BACKEND`), else the WebAssembly backend. */
const chosen = globalThis.process?.env?.FOVEA_BACKEND;
let current: Backend = chosen ? lookup(chosen, 'FOVEA_BACKEND') : wasmBackend;

/**
 * Selects the backend that kernels run on, by name: `'wasm'` (the default: WebAssembly SIMD on
 * a thread pool) or `'reference'` (plain TypeScript, the oracle). `FOVEA_BACKEND` sets the
 * starting choice.
 */
export function setBackend(name: string): void {
  current = lookup(name, 'setBackend');
}

/** The backend in use. */
export function getBackend(): Backend {
  return current;
}
