// The projector's public face: its module, projections and their migrations.
export * from './projector.module.js';
export * from './satisfaction/satisfaction.migrations.js';
export * from './satisfaction/satisfaction.projection.js';
export * from './satisfaction/satisfaction.writer.js';
export * from './satisfaction/satisfaction.fold.js';
export * from './rebuild/satisfaction.rebuild.js';
export * from './cases/cases.migrations.js';
export * from './cases/cases.projection.js';
