/** Seeing what a CNN sees: feature maps, filters, class activation maps, saliency, occlusion. */
export * from './attribution-map.js';
export { type CamOptions } from './cam.js';
export * from './feature-maps.js';
export * from './filters.js';
export * from './grad-cam.js';
export * from './grad-cam-pp.js';
export * from './images.js';
export { findLayer, lastSpatialLayer } from './layer.js';
export * from './occlusion.js';
export * from './saliency.js';
export * from './smooth-grad.js';
export { type ClassTarget } from './target.js';
