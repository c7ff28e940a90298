// A case as GET /v1/<kind>/{id} shows it, folded from its own stream (so it shows every step answered before).
import type { CaseEventV1, CaseStatusV1 } from '@minyi/contracts';
import { isOverdue, type CaseKindDefinition } from './case-kind.js';

/** A stored event of the case's stream, as the view needs it. */
export interface CaseHistoryEvent {
  type: string;
  data: CaseEventV1<Record<string, unknown>>;
  occurredAt: Date;
  recordedAt: Date;
  actor: string;
}

export interface CaseStepView {
  stepId: string;
  step: string;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  [field: string]: unknown;
}

export interface CaseView {
  id: string;
  unitId: string;
  category: string | null;
  occurredAt: string;
  recordedAt: string;
  /** The filing's own fields (the kind's handler decides what of them is shown, e.g. contact). */
  fields: Record<string, unknown>;
  state: string;
  responsibleUnitId: string;
  dueAt: string | null;
  overdue: boolean;
  status: CaseStatusV1;
  steps: CaseStepView[];
}

/** Null when the stream holds no filing. */
export function caseViewOf(kind: CaseKindDefinition, events: readonly CaseHistoryEvent[], now: number): CaseView | null {
  const filing = events.find((e) => e.type === kind.filed.event);
  if (!filing) return null;
  const stepOf = new Map(Object.entries(kind.steps).map(([name, r]) => [r.event, name]));
  const steps: CaseStepView[] = [];
  let status = filing.data.status;
  for (const e of events) {
    const step = stepOf.get(e.type);
    if (step === undefined || e.data.stepId === undefined) continue;
    status = e.data.status;
    steps.push({ ...e.data.fields, stepId: e.data.stepId, step, occurredAt: e.occurredAt.toISOString(), recordedAt: e.recordedAt.toISOString(), actor: e.actor });
  }
  return {
    id: filing.data.caseId,
    unitId: filing.data.filedUnitId,
    category: filing.data.category,
    occurredAt: filing.occurredAt.toISOString(),
    recordedAt: filing.recordedAt.toISOString(),
    fields: filing.data.fields,
    state: status.state,
    responsibleUnitId: status.responsibleUnitId,
    dueAt: status.dueAt,
    overdue: isOverdue(status, now),
    status,
    steps,
  };
}
