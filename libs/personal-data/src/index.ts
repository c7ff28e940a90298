// Personal data (PIPL): contacts sealed under per-subject keys kept outside the log, found by a blind index of the
// phone number, erased by deleting the keys. Its module is imported by the contexts that keep contacts; its
// manifest adds its tables.
import type { ContextManifest } from '@minyi/messaging';
import { personalDataMigrations } from './personal-data.migrations.js';

export * from './personal-data.vault.js';
export * from './personal-data.migrations.js';
export * from './personal-data.module.js';
export * from './contact-filing.js';
export { normalisePhone } from './phone-number.js';

export const personalDataManifest: ContextManifest = {
  name: 'personal-data',
  parts: {},
  migrations: personalDataMigrations,
};
