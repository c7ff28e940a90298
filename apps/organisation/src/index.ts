// The organisation context's public face: its modules and the directory other contexts look things up in.
export * from './organisation.module.js';
export * from './directory/organisation.directory.js';
export * from './directory/administrator-token.js';
export * from './domain/credentials.js';
