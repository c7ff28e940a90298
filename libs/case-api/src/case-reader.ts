// GET /v1/<kind>/{id}: the case folded from its own stream (so it shows every step answered before it was asked),
// shown to the callers API.md names — the filed fields as the kind presents them to this caller (contact details
// only to the admin and to clients with cases:write covering the case).
import { Injectable } from '@nestjs/common';
import { NotFound, type CaseEventV1 } from '@minyi/contracts';
import { caseViewOf, type CaseHistoryEvent, type CaseStepView } from '@minyi/cases';
import { EventStore } from '@minyi/event-store';
import type { Principal } from '@minyi/platform';
import { CaseAccess, type CaseReadAccess } from './case-access.js';
import { caseIdOf } from './case-kind-api.js';
import type { CaseKindApi } from './case-kind-api.js';

/** How a kind shows its filed fields to a caller (e.g. contact details opened, or left out). */
export interface CasePresenter {
  filedFields(fields: Record<string, unknown>, access: CaseReadAccess): Promise<Record<string, unknown>>;
}

/** Shows the filed fields as they are stored. */
export const asStored: CasePresenter = { filedFields: async (fields) => fields };

export interface CaseDocument {
  id: string;
  unitId: string;
  category: string | null;
  occurredAt: string;
  recordedAt: string;
  state: string;
  responsibleUnitId: string;
  dueAt: string | null;
  overdue: boolean;
  steps: CaseStepView[];
  [filedField: string]: unknown;
}

@Injectable()
export class CaseReader {
  constructor(
    private readonly store: EventStore,
    private readonly access: CaseAccess,
  ) {}

  async read(api: CaseKindApi, id: string, principal: Principal, presenter: CasePresenter = asStored): Promise<CaseDocument> {
    const { kind } = api;
    const caseId = caseIdOf(id);
    const stored = await this.store.readStream(kind.streamId(caseId));
    const events: CaseHistoryEvent[] = stored.map((e) => ({
      type: e.type,
      data: e.data as CaseEventV1<Record<string, unknown>>,
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      actor: e.metadata?.actor ?? 'unknown',
    }));
    const view = caseViewOf(kind, events, Date.now());
    if (!view) throw new NotFound(`${kind.kind} ${caseId} does not exist`);
    const access = await this.access.authoriseRead(principal, view.responsibleUnitId);
    // A step that set a deadline shows the dueAt it computed (the deadline in force from then on).
    const dueAtOf = new Map<string, string | null>();
    for (const e of events) {
      const step = e.data.stepId !== undefined ? Object.entries(kind.steps).find(([, r]) => r.event === e.type) : undefined;
      if (step?.[1].deadline) dueAtOf.set(e.data.stepId!, e.data.status.dueAt);
    }
    const steps = view.steps.map((s) => (dueAtOf.has(s.stepId) ? { ...s, dueAt: dueAtOf.get(s.stepId) } : s));
    const filed = await presenter.filedFields(view.fields, access);
    return {
      id: view.id,
      unitId: view.unitId,
      ...filed,
      category: view.category,
      occurredAt: view.occurredAt,
      recordedAt: view.recordedAt,
      state: view.state,
      responsibleUnitId: view.responsibleUnitId,
      dueAt: view.dueAt,
      overdue: view.overdue,
      steps,
    };
  }
}
