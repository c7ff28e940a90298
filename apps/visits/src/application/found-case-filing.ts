// Disputes and hazards are filed alike (API.md "Disputes and hazards"): found by a visit or otherwise, their `kind`
// as the case's category, the visit they name checked, and one field of their own (a dispute's summary, a hazard's
// location) kept as sent. The filing request both handlers give the shared CaseFiling.
import { contentHash } from '@minyi/contracts';
import type { FilingRequest } from '@minyi/case-api';
import type { Principal } from '@minyi/platform';
import type { RecordedVisits } from './recorded-visits.js';

export interface FoundCaseBody {
  id: string;
  unitId: string;
  kind: string;
  occurredAt: string;
  visitId?: string | null;
}

export function foundCaseFiling(body: FoundCaseBody, own: Record<string, string | null>, visits: RecordedVisits, principal: Principal, correlationId: string): FilingRequest {
  const visitId = body.visitId ?? null;
  const occurredAt = new Date(body.occurredAt);
  return {
    caseId: body.id,
    unitId: body.unitId,
    category: body.kind,
    occurredAt,
    // Absent and null alike; the instant, not its spelling (contentHash orders the keys).
    requestHash: contentHash({ id: body.id, unitId: body.unitId, kind: body.kind, visitId, ...own, occurredAt: occurredAt.toISOString() }),
    fields: async () => {
      await visits.mustExist(visitId);
      return { visitId, ...own };
    },
    principal,
    scope: 'visits:write',
    correlationId,
  };
}
