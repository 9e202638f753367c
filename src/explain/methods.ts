/** The explanation methods and their maps, without image files (which need sharp): what the browser build has. */
export * from './attribution-map.js';
export { type CamOptions } from './cam.js';
export * from './feature-maps.js';
export * from './filters.js';
export * from './grad-cam.js';
export * from './grad-cam-pp.js';
export { findLayer, lastSpatialLayer } from './layer.js';
export * from './occlusion.js';
export * from './saliency.js';
export * from './smooth-grad.js';
export { type ClassTarget } from './target.js';
