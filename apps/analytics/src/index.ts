// The analytics context's public face: its module and its manifest.
import type { ContextManifest } from '@minyi/messaging';
import { AnalyticsModule } from './analytics.module.js';

export * from './analytics.module.js';

export const analyticsManifest: ContextManifest = {
  name: 'analytics',
  parts: { analytics: { module: AnalyticsModule, process: 'analytics' } },
  migrations: [],
};
/** One page of a case ledger, as GET /v1/<kind> reads it (the upgrade test reads a migrated database with it). */
export { ledgerPage } from './ledgers/ledger-page.js';
