// The relay's public face.
export * from './relay.module.js';
