// A case kind, declared: its filing event and first state, and for each step the event it records, the states
// it is allowed from, the state it leads to, and what it means for the figures (API.md "Cases: the shared rules").
import type { CaseKind, CaseStatusV1 } from '@minyi/contracts';

export interface StepRule {
  /** The event type the step records. */
  readonly event: string;
  /** The states the step is allowed from (else 409 naming the current state). */
  readonly from: readonly string[];
  /** The state after it (a function when the step's fields decide, as verify's `valid` does). */
  readonly to: string | ((fields: Record<string, unknown>) => string);
  /** A handling step: the case is handled (since the latest reopen), on time when by the deadline in force. */
  readonly handling?: boolean;
  readonly reply?: boolean;
  /** A callback or rating: its `score` field is the complainant's or resident's answer. */
  readonly callback?: boolean;
  /** Sets the responsible unit from the `unitId` field (accept, assign, escalate) and counts as accepted. */
  readonly assigns?: boolean;
  /** Sets a new deadline (the command carries the `dueAt` its handler computed from the calendar). */
  readonly deadline?: boolean;
  readonly reopen?: boolean;
  /** Closes the case; `final: true` closes it for good. */
  readonly close?: boolean;
  /** Takes the case out of every rate (a follow-up found invalid, or voided with its rating). */
  readonly excludes?: boolean | ((fields: Record<string, unknown>) => boolean);
  /** Taken by the system (a reactor), never through the API. */
  readonly system?: boolean;
}

export interface CaseKindDefinition {
  readonly kind: CaseKind;
  /** The path of its routes and ledger: `complaints` → /v1/complaints. */
  readonly plural: string;
  readonly streamId: (caseId: string) => string;
  readonly filed: { readonly event: string; readonly state: string };
  readonly steps: Readonly<Record<string, StepRule>>;
}

/** The steps of a kind that clients may take over HTTP. */
export function publicSteps(kind: CaseKindDefinition): string[] {
  return Object.entries(kind.steps)
    .filter(([, r]) => !r.system)
    .map(([name]) => name);
}

export function initialStatus(state: string, unitId: string): CaseStatusV1 {
  return {
    state,
    responsibleUnitId: unitId,
    dueAt: null,
    accepted: false,
    handled: false,
    onTime: false,
    handling: null,
    replied: false,
    calledBack: false,
    score: null,
    closed: false,
    final: false,
    excluded: false,
  };
}

/**
 * The status after a step taken at `at` (epoch ms). Since-reopen flags are reset by a reopen; the deadline in
 * force stays through it until a step sets a new one; "handled on time" compares with the deadline in force
 * when the handling step was taken.
 */
export function statusAfter(rule: StepRule, step: string, status: CaseStatusV1, fields: Record<string, unknown>, at: number, dueAt: string | null): CaseStatusV1 {
  const next: CaseStatusV1 = { ...status, state: typeof rule.to === 'function' ? rule.to(fields) : rule.to };
  if (rule.reopen) Object.assign(next, { handled: false, onTime: false, handling: null, replied: false, calledBack: false, score: null, closed: false });
  if (rule.assigns) {
    next.responsibleUnitId = String(fields.unitId);
    next.accepted = true;
  }
  if (rule.deadline) next.dueAt = dueAt;
  if (rule.handling) {
    next.handled = true;
    next.handling = step;
    next.onTime = status.dueAt === null || at <= Date.parse(status.dueAt);
  }
  if (rule.reply) next.replied = true;
  if (rule.callback) {
    next.calledBack = true;
    next.score = Number(fields.score);
  }
  if (rule.close) {
    next.closed = true;
    next.final = fields.final === true;
  }
  if (typeof rule.excludes === 'function' ? rule.excludes(fields) : rule.excludes) next.excluded = true;
  return next;
}

/** Overdue at `now`: a deadline, not handled, not closed, and now past it (API.md). */
export function isOverdue(status: CaseStatusV1, now: number): boolean {
  return status.dueAt !== null && !status.handled && !status.closed && !status.excluded && now > Date.parse(status.dueAt);
}
