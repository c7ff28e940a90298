// The all-in-one's public face: how to boot minyi (every part or some), and what its manifests compose to.
export * from './system.js';
export * from './minyi.module.js';
export * from './composition.js';
export * from './layout.js';
