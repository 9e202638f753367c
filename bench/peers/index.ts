/** Every peer the benchmark knows, by name, in the order of the table's columns. */
import type { PeerLoader } from '../peer.js';
import { loadBrowserPeer } from './browser.js';
import { loadFoveaPeer } from './fovea.js';
import { loadOnnxRuntimePeer } from './onnxruntime.js';
import { loadPyTorchPeer } from './pytorch.js';
import { loadTfjsPeer } from './tfjs.js';

/** The name of fovea's own column, against which the ratios are taken. */
export const FOVEA = 'fovea';

/** Loaders of fovea and its peers. */
export const PEER_LOADERS: Record<string, PeerLoader> = {
  [FOVEA]: loadFoveaPeer,
  'tfjs-cpu': () => loadTfjsPeer('cpu'),
  'tfjs-wasm': () => loadTfjsPeer('wasm'),
  onnxruntime: loadOnnxRuntimePeer,
  pytorch: loadPyTorchPeer,
  chromium: () => loadBrowserPeer('chromium'),
  firefox: () => loadBrowserPeer('firefox'),
};
