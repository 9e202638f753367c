import type { OpInfo } from './types.js';
import { coreOps } from './core.js';

/** Every op's OpInfo entries; each family of ops has its own file beside this one. */
export const opInfos: OpInfo[] = [...coreOps];
