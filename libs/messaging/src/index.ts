// Transports that carry the committed log to projections (postgres now; kafka in distributed mode).
export * from './projection.js';
export * from './checkpoints.js';
export * from './dead-letters.js';
export * from './postgres-log.consumer.js';
export * from './messaging.migrations.js';
