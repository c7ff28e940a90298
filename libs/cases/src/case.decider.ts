// The decider every case kind shares: a case is filed once under its id, then moves through the steps its kind
// declares; a step's client-made stepId makes it idempotent (same body: a duplicate; another: 409).
import { Conflict, NotFound, Refused, type CaseEventV1, type CaseStatusV1, type Decider, type DomainEvent } from '@minyi/contracts';
import { initialStatus, statusAfter, type CaseKindDefinition } from './case-kind.js';

export const MAX_FUTURE_MS = 5 * 60 * 1000;
export const MAX_FILING_AGE_MS = 365 * 24 * 3600 * 1000;
/** No instant before this is recorded anywhere (API.md "Limits"). */
export const EARLIEST_MS = Date.UTC(1900, 0, 1);

export interface FileCase {
  type: 'file';
  caseId: string;
  unitId: string;
  category: string | null;
  occurredAt: Date;
  fields: Record<string, unknown>;
  requestHash: string;
  now: Date;
  /** Filings from outside are held to API.md's window (≤ 5 min ahead, ≤ 365 days old); a reactor's are not. */
  checkAge?: boolean;
  /** The deadline the filing sets at once (a follow-up's), computed by its handler from the calendar; none when absent. */
  dueAt?: string | null;
}

export interface TakeStep {
  type: 'step';
  caseId: string;
  step: string;
  stepId: string;
  occurredAt: Date;
  fields: Record<string, unknown>;
  requestHash: string;
  now: Date;
  /** The deadline the step sets, computed by its handler from the calendar (steps that set one only). */
  dueAt?: string | null;
}

export type CaseCommand = FileCase | TakeStep;

export type CaseEvent = DomainEvent<string, CaseEventV1<Record<string, unknown>>>;

export interface StepRecord {
  step: string;
  requestHash: string;
}

export type CaseState =
  | { filed: false }
  | {
      filed: true;
      requestHash: string;
      facts: Pick<CaseEventV1<unknown>, 'caseId' | 'filedAt' | 'filedUnitId' | 'category'>;
      filedFields: Record<string, unknown>;
      status: CaseStatusV1;
      /** occurredAt of the latest step (or the filing), epoch ms: no step may be earlier. */
      lastAt: number;
      steps: ReadonlyMap<string, StepRecord>;
    };

/** Refuses (422) an instant outside what minyi records: before 1900, over 5 minutes ahead, older than `maxAgeMs` (null: any age). */
export function checkInstant(at: Date, now: Date, maxAgeMs: number | null): void {
  const t = at.getTime();
  if (!Number.isFinite(t)) throw new Refused('occurredAt is not a time minyi can record', [{ path: 'occurredAt', message: 'is not a representable instant' }]);
  if (t < EARLIEST_MS) throw new Refused('occurredAt is before 1900', [{ path: 'occurredAt', message: 'is before 1900-01-01' }]);
  if (t - now.getTime() > MAX_FUTURE_MS) throw new Refused('occurredAt is more than 5 minutes in the future', [{ path: 'occurredAt', message: 'is more than 5 minutes in the future' }]);
  if (maxAgeMs !== null && now.getTime() - t > maxAgeMs) throw new Refused('occurredAt is more than 365 days old', [{ path: 'occurredAt', message: 'is more than 365 days old' }]);
}

export function caseDecider(kind: CaseKindDefinition): Decider<CaseCommand, CaseState, CaseEvent> {
  const stepOfEvent = new Map(Object.entries(kind.steps).map(([name, r]) => [r.event, name]));
  return {
    initialState: () => ({ filed: false }),

    evolve(state, event) {
      const d = event.data;
      if (event.type === kind.filed.event) {
        if (state.filed) return state;
        return {
          filed: true,
          requestHash: event.requestHash ?? '',
          facts: { caseId: d.caseId, filedAt: d.filedAt, filedUnitId: d.filedUnitId, category: d.category },
          filedFields: d.fields,
          status: d.status,
          lastAt: Date.parse(d.filedAt),
          steps: new Map(),
        };
      }
      const step = stepOfEvent.get(event.type);
      if (!state.filed || step === undefined || d.stepId === undefined) return state;
      const steps = new Map(state.steps);
      steps.set(d.stepId, { step, requestHash: event.requestHash ?? '' });
      return { ...state, status: d.status, lastAt: Math.max(state.lastAt, event.occurredAt.getTime()), steps };
    },

    decide(command, state) {
      if (command.type === 'file') {
        if (state.filed) {
          if (state.requestHash === command.requestHash) return [];
          throw new Conflict(`${kind.kind} ${command.caseId} was already filed with different content`, [{ path: 'id', message: 'already used for a different case' }]);
        }
        checkInstant(command.occurredAt, command.now, command.checkAge === false ? null : MAX_FILING_AGE_MS);
        const status = { ...initialStatus(kind.filed.state, command.unitId), dueAt: command.dueAt ?? null };
        return [
          {
            type: kind.filed.event,
            occurredAt: command.occurredAt,
            unitId: command.unitId,
            data: { caseId: command.caseId, filedAt: command.occurredAt.toISOString(), filedUnitId: command.unitId, category: command.category, status, fields: command.fields },
          },
        ];
      }
      if (!state.filed) throw new NotFound(`${kind.kind} ${command.caseId} does not exist`);
      const rule = kind.steps[command.step];
      if (!rule) throw new NotFound(`a ${kind.kind} has no step ${command.step}`);
      const earlier = state.steps.get(command.stepId);
      if (earlier) {
        if (earlier.step === command.step && earlier.requestHash === command.requestHash) return [];
        throw new Conflict(`stepId ${command.stepId} was already used for ${earlier.step === command.step ? 'this step with a different body' : `a ${earlier.step} step`} of ${kind.kind} ${command.caseId}`, [
          { path: 'stepId', message: 'already used in this case' },
        ]);
      }
      const at = command.occurredAt.getTime();
      checkInstant(command.occurredAt, command.now, null);
      if (at < state.lastAt) {
        throw new Refused(`occurredAt is earlier than the case's previous step (${new Date(state.lastAt).toISOString()})`, [{ path: 'occurredAt', message: 'is earlier than the previous step' }]);
      }
      const current = state.status.state;
      if (rule.reopen && state.status.final) throw new Conflict(`${kind.kind} ${command.caseId} is closed for good (final); it can never be reopened`);
      if (!rule.from.includes(current)) {
        throw new Conflict(`${kind.kind} ${command.caseId} is ${current}; ${command.step} is allowed only from ${rule.from.join(', ')}`);
      }
      const status = statusAfter(rule, command.step, state.status, command.fields, at, rule.deadline ? (command.dueAt ?? null) : null);
      return [
        {
          type: rule.event,
          occurredAt: command.occurredAt,
          unitId: status.responsibleUnitId,
          data: { ...state.facts, status, stepId: command.stepId, fields: command.fields },
        },
      ];
    },
  };
}
