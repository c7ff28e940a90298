// The ratings context's public face.
export * from './ratings.module.js';
