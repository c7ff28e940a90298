// The organisation context's public face: its modules, the directory other contexts look things up in, its manifest.
import type { ContextManifest } from '@minyi/messaging';
import { OrganisationModule } from './organisation.module.js';

export * from './organisation.module.js';
export * from './directory/organisation.directory.js';
export * from './directory/administrator-token.js';
export * from './domain/credentials.js';

export const organisationManifest: ContextManifest = {
  name: 'organisation',
  parts: { organisation: OrganisationModule },
  migrations: [],
};
