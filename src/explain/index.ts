/** Seeing what a CNN sees: feature maps, filters, class activation maps, saliency, occlusion. */
export * from './methods.js';
export * from './images.js';
