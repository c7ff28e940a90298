// The embedded all-in-one's public face: how to boot the whole system in one process.
export * from './system.js';
export * from './minyi.module.js';
export * from './layout.js';
