// The visit (走访 · 恳谈) as a pure decider: a fact recorded once under its id — the same content again is a
// duplicate, other content 409 — with no steps. Its instant is held to API.md's window (≤ 5 minutes ahead, ≤ 365
// days old); a named officer must belong to the visit's unit or a unit above or below it (as a rating's must).
import { Conflict, Refused, VisitRecorded, type Decider, type DomainEvent, type VisitRecordedV1 } from '@minyi/contracts';
import { checkInstant, MAX_FILING_AGE_MS } from '@minyi/cases';

export interface RecordVisit {
  type: 'record';
  visit: VisitRecordedV1;
  occurredAt: Date;
  requestHash: string;
  now: Date;
  /** Whether the named officer may be named for the visit's unit (false too when no such officer); null: none named. */
  officerRelated: boolean | null;
}

export type VisitEvent = DomainEvent<typeof VisitRecorded.type, VisitRecordedV1>;

export type VisitState = { recorded: false } | { recorded: true; requestHash: string };

export const visitDecider: Decider<RecordVisit, VisitState, VisitEvent> = {
  initialState: () => ({ recorded: false }),

  evolve(state, event) {
    if (state.recorded || event.type !== VisitRecorded.type) return state;
    return { recorded: true, requestHash: event.requestHash ?? '' };
  },

  decide(command, state) {
    if (state.recorded) {
      if (state.requestHash === command.requestHash) return [];
      throw new Conflict(`visit ${command.visit.visitId} was already recorded with different content`, [{ path: 'id', message: 'already used for a different visit' }]);
    }
    checkInstant(command.occurredAt, command.now, MAX_FILING_AGE_MS);
    if (command.officerRelated === false) {
      throw new Refused(`officer ${command.visit.officerId} does not belong to unit ${command.visit.unitId} or a unit above or below it`, [
        { path: 'officerId', message: 'no such officer of this unit or a unit above or below it' },
      ]);
    }
    return [{ type: VisitRecorded.type, occurredAt: command.occurredAt, unitId: command.visit.unitId, data: command.visit }];
  },
};
