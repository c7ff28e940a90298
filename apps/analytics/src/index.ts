// The analytics context's public face.
export * from './analytics.module.js';
