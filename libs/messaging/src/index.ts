// Transports that carry the committed log to projections (postgres now; kafka in distributed mode).
export * from './projection.js';
export * from './checkpoints.js';
export * from './dead-letters.js';
export * from './postgres-log.consumer.js';
export * from './messaging.migrations.js';
export * from './kafka/topics.js';
export * from './kafka/envelope.js';
export * from './kafka/message-size.js';
export * from './kafka/kafka-client.js';
export * from './kafka/outbox-relay.projection.js';
export * from './kafka/kafka-log.consumer.js';
export * from './kafka/kafka.connection.js';
export * from './messaging.module.js';
export * from './manifest.js';
export * from './reactor.js';
