// The complaints context's public face: its module, its kind, and its manifest (what it adds to a process).
import type { ContextManifest } from '@minyi/messaging';
import { ComplaintsModule } from './complaints.module.js';

export * from './complaints.module.js';
export { complaintKind, DEFAULT_DUE_WORKING_DAYS } from './domain/complaint.kind.js';

export const complaintsManifest: ContextManifest = {
  name: 'complaints',
  parts: { complaints: ComplaintsModule },
  migrations: [],
  // API.md: each callback's score, at the responsible unit as it was when the callback was taken, in its period.
  satisfactionSources: [{ eventType: 'ComplaintCalledBack', channel: 'complaints', sign: 1, score: 'fields.score', unitId: 'status.responsibleUnitId' }],
};
