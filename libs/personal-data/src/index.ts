// Personal data (PIPL): contacts sealed under per-subject keys kept outside the log, found by a blind index of the
// phone number, erased by deleting the keys.
export * from './personal-data.vault.js';
export * from './personal-data.migrations.js';
export * from './personal-data.module.js';
export { normalisePhone } from './phone-number.js';
