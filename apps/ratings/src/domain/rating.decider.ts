// The rating aggregate as a pure decider: a rating is submitted once, counted once, and may be voided.
import {
  Conflict,
  isOfficerOfRelatedUnit,
  InvalidInput,
  NotFound,
  Refused,
  RatingSubmitted,
  RatingVoided,
  type Decider,
  type DomainEvent,
  type RatingSource,
  type RatingSubmittedV1,
  type RatingVoidedV1,
  type VoidedRatingFacts,
} from '@minyi/contracts';

export const MAX_AGE_MS = 90 * 24 * 3600 * 1000;
export const MAX_FUTURE_MS = 5 * 60 * 1000;
/** Imports have no age limit, but nothing before this is refused everywhere (API.md "Limits"; year 0 is no instant at all). */
export const EARLIEST = Date.UTC(1900, 0, 1);

export type RatingState =
  | { status: 'none' }
  | { status: 'submitted' | 'voided'; requestHash: string; facts: VoidedRatingFacts };

export const initialRatingState: RatingState = { status: 'none' };

export interface RatingEvent {
  type: string;
  data: unknown;
  occurredAt: Date;
  requestHash?: string;
}

export function evolveRating(state: RatingState, event: RatingEvent): RatingState {
  if (event.type === RatingSubmitted.type) {
    const d = event.data as RatingSubmittedV1;
    return {
      status: 'submitted',
      requestHash: event.requestHash ?? '',
      facts: { score: d.score, occurredAt: event.occurredAt.toISOString(), windowId: d.windowId, unitId: d.unitId, officerId: d.officerId },
    };
  }
  if (event.type === RatingVoided.type && state.status !== 'none') return { ...state, status: 'voided' };
  return state;
}

export interface SubmitRating {
  ratingId: string;
  score: number;
  occurredAt: string;
  officerId?: string;
  serviceType?: string;
  reasons?: string[];
  comment?: string;
  requestHash: string;
  source: RatingSource;
}

/** What the decider must know beyond the rating's own stream, looked up by the handler. */
export interface RatingContext {
  terminal: { terminalId: string; windowId: string; unitId: string };
  windowServiceTypes: string[];
  /**
   * Whether the named officer belongs to the window's unit, or to a unit above or below it (API.md "Limits");
   * false too when there is no such officer (one answer for both: a terminal learns nothing of other units);
   * null when the rating names no officer.
   */
  officerRelated: boolean | null;
  now: Date;
}

/** Shared with the visits context: libs/contracts unit-tree.ts. */
export { isOfficerOfRelatedUnit };

export type SubmitDecision =
  | { outcome: 'accepted'; event: { type: string; data: RatingSubmittedV1; occurredAt: Date } }
  | { outcome: 'duplicate' };

export function decideSubmit(cmd: SubmitRating, state: RatingState, ctx: RatingContext): SubmitDecision {
  if (state.status !== 'none') {
    if (state.requestHash === cmd.requestHash) return { outcome: 'duplicate' };
    throw new Conflict(`rating ${cmd.ratingId} was already submitted with different content`, [
      { path: 'id', message: 'already used for a different rating' },
    ]);
  }
  const occurredAt = new Date(cmd.occurredAt);
  if (!Number.isFinite(occurredAt.getTime())) {
    // e.g. a leap second (23:59:60), which the schema's calendar check lets through but no clock here holds
    throw new InvalidInput('occurredAt is not a time minyi can record', [{ path: 'occurredAt', message: 'is not a representable instant (leap seconds are not supported)' }]);
  }
  if (occurredAt.getTime() < EARLIEST) {
    throw new Refused('occurredAt is before 1900-01-01T00:00:00Z, which no rating can be', [{ path: 'occurredAt', message: 'is before 1900-01-01T00:00:00Z' }]);
  }
  const age = ctx.now.getTime() - occurredAt.getTime();
  if (-age > MAX_FUTURE_MS) {
    throw new Refused('occurredAt is in the future (more than 5 minutes ahead of the server clock)', [
      { path: 'occurredAt', message: 'is more than 5 minutes in the future' },
    ]);
  }
  if (cmd.source !== 'import' && age > MAX_AGE_MS) {
    throw new Refused('occurredAt is more than 90 days old; older records go through the import', [
      { path: 'occurredAt', message: 'is more than 90 days old' },
    ]);
  }
  if (cmd.officerId !== undefined && ctx.officerRelated !== true) {
    throw new Refused(`officer ${cmd.officerId} is not an officer of this window's unit or of a unit above or below it`, [
      { path: 'officerId', message: "is not an officer of the window's unit, or of a unit above or below it" },
    ]);
  }
  if (cmd.serviceType !== undefined && ctx.windowServiceTypes.length > 0 && !ctx.windowServiceTypes.includes(cmd.serviceType)) {
    throw new Refused(`window ${ctx.terminal.windowId} does not offer service type "${cmd.serviceType}"`, [
      { path: 'serviceType', message: `must be one of the window's service types: ${ctx.windowServiceTypes.join(', ')}` },
    ]);
  }
  return {
    outcome: 'accepted',
    event: {
      type: RatingSubmitted.type,
      occurredAt,
      data: {
        ratingId: cmd.ratingId,
        terminalId: ctx.terminal.terminalId,
        windowId: ctx.terminal.windowId,
        unitId: ctx.terminal.unitId,
        score: cmd.score as RatingSubmittedV1['score'],
        officerId: cmd.officerId ?? null,
        serviceType: cmd.serviceType ?? null,
        reasons: cmd.reasons ?? [],
        comment: cmd.comment ?? null,
        source: cmd.source,
      },
    },
  };
}

export type VoidDecision = { outcome: 'voided'; event: { type: string; data: RatingVoidedV1 } } | { outcome: 'duplicate' };

export function decideVoid(cmd: { ratingId: string; reason: string }, state: RatingState): VoidDecision {
  if (state.status === 'none') throw new NotFound(`rating ${cmd.ratingId} does not exist`);
  if (state.status === 'voided') return { outcome: 'duplicate' };
  return { outcome: 'voided', event: { type: RatingVoided.type, data: { ratingId: cmd.ratingId, reason: cmd.reason, rating: state.facts } } };
}

/** The rating's commands as the command kit runs them: a submission with what the handler looked up, or a void. */
export type RatingCommand = ({ type: 'SubmitRating'; context: RatingContext } & SubmitRating) | { type: 'VoidRating'; ratingId: string; reason: string };

export type RatingDomainEvent = DomainEvent<typeof RatingSubmitted.type, RatingSubmittedV1> | DomainEvent<typeof RatingVoided.type, RatingVoidedV1>;

/**
 * The rating as a decider value (the command kit's shape). A duplicate decides nothing; the intake's grouped path
 * calls decideSubmit directly, this is the same decision.
 */
export const ratingDecider: Decider<RatingCommand, RatingState, RatingDomainEvent> = {
  initialState: () => initialRatingState,
  evolve: (state, event) => evolveRating(state, event),
  decide(command, state) {
    switch (command.type) {
      case 'SubmitRating': {
        const d = decideSubmit(command, state, command.context);
        return d.outcome === 'duplicate' ? [] : [{ type: RatingSubmitted.type, data: d.event.data, occurredAt: d.event.occurredAt, unitId: d.event.data.unitId }];
      }
      case 'VoidRating': {
        const d = decideVoid(command, state);
        return d.outcome === 'duplicate' ? [] : [{ type: RatingVoided.type, data: d.event.data, unitId: d.event.data.rating.unitId }];
      }
    }
  },
};
