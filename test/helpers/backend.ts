import { getBackend, setBackend } from '../../src/index.js';

/** Runs `fn` with `backend` selected, then selects the backend before it again. */
export function onBackend<T>(backend: string, fn: () => T): T {
  const before = getBackend().name;
  setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(before);
  }
}
