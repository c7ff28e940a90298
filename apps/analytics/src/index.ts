// The analytics context's public face: its module and its manifest.
import type { ContextManifest } from '@minyi/messaging';
import { AnalyticsModule } from './analytics.module.js';

export * from './analytics.module.js';

export const analyticsManifest: ContextManifest = {
  name: 'analytics',
  parts: { analytics: { module: AnalyticsModule, process: 'analytics' } },
  migrations: [],
};
