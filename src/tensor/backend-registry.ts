import { FoveaError } from './errors.js';
import type { Backend } from '../backend/backend.js';
import { referenceBackend } from '../backend/reference/index.js';

const backends = new Map<string, Backend>([[referenceBackend.name, referenceBackend]]);
let current: Backend = referenceBackend;

/** Makes a backend available to `setBackend` under its name. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Selects the backend that new tensors and kernels use, by name (`'reference'`). */
export function setBackend(name: string): void {
  const backend = backends.get(name);
  if (!backend) {
    throw new FoveaError(
      'setBackend',
      `unknown backend '${name}' (available: ${[...backends.keys()].join(', ')})`,
    );
  }
  current = backend;
}

/** The backend in use. */
export function getBackend(): Backend {
  return current;
}
