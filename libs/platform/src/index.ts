// What every minyi process shares: configuration, PostgreSQL, auth, problem+json, health, metrics, HTTP.
export * from './config.js';
export * from './database.js';
export * from './embedded-postgres.js';
export * from './problem.filter.js';
export * from './request-schema.js';
export * from './auth.js';
export * from './route-config.js';
export * from './limits.js';
export * from './logging.js';
export * from './metrics.js';
export * from './health.js';
export * from './tokens.js';
export * from './unit-directory.js';
export * from './platform.module.js';
export * from './http.js';
export * from './api-client.js';
export * from './async-resource-bind.js';
