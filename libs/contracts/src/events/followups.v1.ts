// Bad-rating follow-up events, version 1 (差评整改): opened for a rating of 1 or 2 from a terminal, then
// verified (or found invalid on appeal, which voids the rating), rectified, called back — or voided with the
// rating by the administrator. The follow-up's id is its rating's; its cohort period is the rating's occurredAt.
import { ID_PATTERN } from '../ids.js';
import { caseEvent, score5, stepText, type CaseEventV1 } from './cases.v1.js';

export const FOLLOWUP_STATES = ['open', 'verified', 'invalid', 'rectified', 'calledBack', 'voided'] as const;
export type FollowUpState = (typeof FOLLOWUP_STATES)[number];

const id = { type: 'string', pattern: ID_PATTERN } as const;
const followUp = <F>(type: string, role: 'filed' | 'step', fields: { required: string[]; properties: Record<string, unknown> }) =>
  caseEvent<F, string>({ type, context: 'ratings', kind: 'followup', role, states: FOLLOWUP_STATES, fields });

export type FollowUpOpenedV1 = CaseEventV1<{ ratingId: string; windowId: string; officerId: string | null; score: 1 | 2; dueInWorkingDays: number }>;
export const FollowUpOpened = followUp<FollowUpOpenedV1['fields']>('FollowUpOpened', 'filed', {
  required: ['ratingId', 'windowId', 'officerId', 'score', 'dueInWorkingDays'],
  properties: {
    ratingId: id,
    windowId: id,
    officerId: { anyOf: [id, { type: 'null' }] },
    score: { type: 'integer', minimum: 1, maximum: 2 },
    dueInWorkingDays: { type: 'integer', minimum: 1, maximum: 60 },
  },
});

export type FollowUpVerifiedV1 = CaseEventV1<{ valid: boolean; reason: string | null }>;
export const FollowUpVerified = followUp<FollowUpVerifiedV1['fields']>('FollowUpVerified', 'step', {
  required: ['valid', 'reason'],
  properties: { valid: { type: 'boolean' }, reason: { anyOf: [stepText, { type: 'null' }] } },
});

export type FollowUpRectifiedV1 = CaseEventV1<{ summary: string }>;
export const FollowUpRectified = followUp<FollowUpRectifiedV1['fields']>('FollowUpRectified', 'step', { required: ['summary'], properties: { summary: stepText } });

export type FollowUpCalledBackV1 = CaseEventV1<{ score: 1 | 2 | 3 | 4 | 5 }>;
export const FollowUpCalledBack = followUp<FollowUpCalledBackV1['fields']>('FollowUpCalledBack', 'step', { required: ['score'], properties: { score: score5 } });

/** The rating was voided by the administrator: the follow-up leaves every rate, whatever its state. */
export type FollowUpVoidedV1 = CaseEventV1<{ reason: string }>;
export const FollowUpVoided = followUp<FollowUpVoidedV1['fields']>('FollowUpVoided', 'step', { required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } });
