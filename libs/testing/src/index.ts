// The test harness: a fresh database per test file, the running system, an HTTP client, builders.
export * from './test-database.js';
export * from './test-system.js';
export { ApiClient, type ApiResponse } from '@minyi/platform';
export * from './organisation.builder.js';
export * from './events.builder.js';
export * from './free-port.js';
export * from './test-kafka.js';
export * from './minyi-process.js';
export * from './test-store.js';
export * from './seeded-random.js';
export * from './decider-spec.js';
export * from './reactor-spec.js';
export * from './raw-http.js';
export * from './database-files.js';
