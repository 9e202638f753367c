import type { OpInfo } from './types.js';
import { coreOps } from './core.js';
import { convOps } from './conv.js';
import { activationOps } from './activation.js';
import { lossOps } from './loss.js';
import { embeddingLossOps } from './embedding-loss.js';
import { focalLossOps } from './focal-loss.js';
import { diceLossOps } from './dice-loss.js';
import { normOps } from './norm.js';
import { poolOps } from './pool.js';
import { resampleOps } from './resample.js';
import { layerOps } from './layers.js';

/** Every op's OpInfo entries; each family of ops has its own file beside this one. */
export const opInfos: OpInfo[] = [
  ...coreOps,
  ...convOps,
  ...activationOps,
  ...lossOps,
  ...embeddingLossOps,
  ...focalLossOps,
  ...diceLossOps,
  ...normOps,
  ...poolOps,
  ...resampleOps,
  ...layerOps,
];
