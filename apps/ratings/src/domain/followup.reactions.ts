// What the log makes happen to bad-rating follow-ups (the follow-up reactor's decisions, pure): a bad rating from a
// terminal opens its follow-up; a follow-up found invalid voids its rating; a rating voided by the administrator
// voids its follow-up. Every command is named by the event that causes it, so a redelivery finds it done.
import {
  contentHash,
  FollowUpVerified,
  RatingSubmitted,
  RatingVoided,
  type Decider,
  type FollowUpVerifiedV1,
  type RatingSubmittedV1,
  type RatingVoidedV1,
} from '@minyi/contracts';
import { caseDecider, stepRequestHash, type CaseCommand, type CaseEvent, type CaseState, type TakeStep } from '@minyi/cases';
import { followUpKind } from './followup.kind.js';

/** The event a reaction is decided from: what the log holds of it. */
export interface ReactionCause {
  eventId: string;
  type: string;
  data: unknown;
  occurredAt: Date;
}

export type FollowUpReaction =
  /** File the follow-up (its `dueAt` is computed from the calendar by the reactor, then set on the command). */
  | { type: 'OpenFollowUp'; ratingId: string; dueInWorkingDays: number; command: Omit<Extract<CaseCommand, { type: 'file' }>, 'now' | 'dueAt'> }
  /** Void the rating, exactly as the administrator's POST /v1/ratings/{id}/void does. */
  | { type: 'VoidRating'; ratingId: string; reason: string }
  /** The follow-up's system step `void`, unless there is nothing to void (see voidFollowUpDecider). */
  | { type: 'VoidFollowUp'; ratingId: string; command: Omit<TakeStep, 'now'> };

/** Scores that open a follow-up (API.md "Bad-rating follow-ups"): 1 and 2. */
export const isBadScore = (score: number): score is 1 | 2 => score === 1 || score === 2;

/**
 * The reaction an event causes, or null. A bad rating that arrived through a terminal (one or a batch) opens its
 * follow-up — an import does not: the old system kept its own —, filed at the rating's instant, in its unit and
 * service type, with `dueInWorkingDays` working days.
 */
export function followUpReactionTo(cause: ReactionCause, dueInWorkingDays: number): FollowUpReaction | null {
  switch (cause.type) {
    case RatingSubmitted.type: {
      const r = cause.data as RatingSubmittedV1;
      if (!isBadScore(r.score) || r.source === 'import') return null;
      return {
        type: 'OpenFollowUp',
        ratingId: r.ratingId,
        dueInWorkingDays,
        command: {
          type: 'file',
          caseId: r.ratingId,
          unitId: r.unitId,
          category: r.serviceType,
          occurredAt: cause.occurredAt,
          fields: { ratingId: r.ratingId, windowId: r.windowId, officerId: r.officerId, score: r.score, dueInWorkingDays },
          // Named by its cause: the same rating delivered again is the same filing (a duplicate), whatever the
          // configuration or calendar says by then.
          requestHash: contentHash({ reaction: 'open-followup', cause: cause.eventId }),
          checkAge: false,
        },
      };
    }
    case FollowUpVerified.type: {
      const v = cause.data as FollowUpVerifiedV1;
      if (v.fields.valid || v.status.state !== 'invalid') return null;
      return { type: 'VoidRating', ratingId: v.caseId, reason: v.fields.reason ?? '申诉复核：差评无效' };
    }
    case RatingVoided.type: {
      const v = cause.data as RatingVoidedV1;
      const stepId = `void-${cause.eventId}`;
      const fields = { reason: v.reason };
      return {
        type: 'VoidFollowUp',
        ratingId: v.ratingId,
        command: {
          type: 'step',
          caseId: v.ratingId,
          step: 'void',
          stepId,
          occurredAt: cause.occurredAt,
          fields,
          requestHash: stepRequestHash('void', { stepId, reason: v.reason, cause: cause.eventId }),
        },
      };
    }
    default:
      return null;
  }
}

const followUps = caseDecider(followUpKind);

/**
 * The follow-up's decider for the system's void: nothing when there is no follow-up (the rating never had one),
 * when it is `invalid` (its own verification voided the rating: that void is not the administrator's) or voided
 * already. The void happens no earlier than the follow-up's latest step (a step may be dated up to 5 minutes
 * ahead of the administrator's void), so it is never refused for its instant.
 */
export const voidFollowUpDecider: Decider<CaseCommand, CaseState, CaseEvent> = {
  initialState: followUps.initialState,
  evolve: followUps.evolve,
  decide(command, state) {
    if (command.type !== 'step' || !state.filed || state.status.state === 'invalid' || state.status.state === 'voided') return [];
    if (state.steps.has(command.stepId)) return followUps.decide(command, state);
    const occurredAt = new Date(Math.max(command.occurredAt.getTime(), state.lastAt));
    return followUps.decide({ ...command, occurredAt, now: new Date(Math.max(command.now.getTime(), occurredAt.getTime())) }, state);
  },
};
