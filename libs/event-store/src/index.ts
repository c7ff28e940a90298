// The PostgreSQL event store: append-only events, per-stream versions, a gap-safe global log.
export * from './types.js';
export * from './event-store.js';
export * from './migrator.js';
export * from './event-store.migrations.js';
export * from './prepared.js';
export * from './command-kit.js';
