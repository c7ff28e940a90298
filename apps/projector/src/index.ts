// The projector's public face: its manifest (the projector part, the read models' migrations, the registry of
// projections), and what the rebuild, tests and other contexts use of it.
import type { ContextManifest } from '@minyi/messaging';
import { caseMigrations } from './cases/cases.migrations.js';
import { PROJECTIONS } from './projections.js';
import { ProjectorModule } from './projector.module.js';
import { satisfactionMigrations } from './satisfaction/satisfaction.migrations.js';
import { visitMigrations } from './visits/visits.migrations.js';

export * from './projector.module.js';
export * from './projections.js';
export * from './satisfaction/satisfaction.migrations.js';
export * from './satisfaction/satisfaction.projection.js';
export * from './satisfaction/satisfaction.writer.js';
export * from './satisfaction/satisfaction.fold.js';
export * from './rebuild/rebuild-projection.js';
export * from './cases/cases.migrations.js';
export * from './cases/cases.projection.js';
export * from './visits/visits.migrations.js';
export * from './visits/visits.projection.js';

export const projectorManifest: ContextManifest = {
  name: 'projector',
  parts: { projector: { module: ProjectorModule, process: 'projector', kafka: true } },
  // 0003 and 0009 keep their global numbers; the read models added since are prefixed `projector-`.
  migrations: [...satisfactionMigrations, ...caseMigrations, ...visitMigrations],
  projections: PROJECTIONS,
};
