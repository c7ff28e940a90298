// The complaint's steps as requests (API.md "Complaints"): each one's own fields beside stepId and occurredAt,
// and what a request may leave out — accept's unit (the responsible unit as it is), the working days of a
// deadline (15), close's final (false).
import { replyVia, score5, stepText, unitIdSchema, workingDays } from '@minyi/contracts';
import { KiB } from '@minyi/platform';
import type { StepDefinition } from '@minyi/case-api';
import { DEFAULT_DUE_WORKING_DAYS } from '../domain/complaint.kind.js';

const TEXT_LIMIT = {
  bytes: 64 * KiB,
  reason: 'a step at its largest (5000 characters of text, every one sent as a \\uXXXX escape of a surrogate pair) is about 60 KB',
} as const;

const unit = { ...unitIdSchema, description: 'a unit id (1–64 of A-Za-z0-9._:-); it must exist' };
const days = { ...workingDays, description: `working days until the deadline, 1–60 (default ${DEFAULT_DUE_WORKING_DAYS})` };
const text = (description: string) => ({ ...stepText, description: `${description}: 1–5000 characters` });

export const complaintSteps: Record<string, StepDefinition> = {
  accept: {
    summary: 'Accept a complaint (受理): sets the responsible unit and the deadline',
    description: 'unitId defaults to the responsible unit as it is; dueInWorkingDays to 15.',
    fields: { unitId: unit, dueInWorkingDays: days },
    defaults: (f, status) => ({ unitId: f.unitId ?? status.responsibleUnitId, dueInWorkingDays: f.dueInWorkingDays ?? DEFAULT_DUE_WORKING_DAYS }),
    deadlineDays: 'dueInWorkingDays',
    unitFields: ['unitId'],
  },
  escalate: {
    summary: 'Escalate a complaint (转办/上报) to another unit, with a new deadline',
    description: 'The unit becomes responsible; dueInWorkingDays defaults to 15.',
    fields: { unitId: unit, reason: text('why'), dueInWorkingDays: days },
    required: ['unitId', 'reason'],
    defaults: (f) => ({ unitId: f.unitId, reason: f.reason, dueInWorkingDays: f.dueInWorkingDays ?? DEFAULT_DUE_WORKING_DAYS }),
    deadlineDays: 'dueInWorkingDays',
    unitFields: ['unitId'],
    bodyLimit: TEXT_LIMIT,
  },
  handle: {
    summary: 'Record that a complaint was handled (办结): the handling step',
    description: 'On time when occurredAt ≤ the dueAt in force (or none is).',
    fields: { summary: text('what was done') },
    required: ['summary'],
    bodyLimit: TEXT_LIMIT,
  },
  reply: {
    summary: 'Record the reply to the complainant (答复)',
    fields: { text: text('what the complainant was told'), via: { ...replyVia, description: 'how' } },
    required: ['text', 'via'],
    bodyLimit: TEXT_LIMIT,
  },
  callback: {
    summary: 'Record the callback (回访): the complainant’s rating of the outcome, 1–5',
    description: 'Counted in /v1/satisfaction channel complaints, at the responsible unit as it is now, in the period of occurredAt.',
    fields: { score: { ...score5, description: '5 非常满意 … 1 非常不满意' } },
    required: ['score'],
  },
  reopen: {
    summary: 'Reopen a complaint (重新办理)',
    description: 'Resets handled, replied and the callback; the deadline in force stays until a step sets a new one. Never after a final close.',
    fields: { reason: text('why') },
    required: ['reason'],
    bodyLimit: TEXT_LIMIT,
  },
  close: {
    summary: 'Close a complaint; final: true closes it for good (停访息诉)',
    description: 'final defaults to false; a complaint closed for good can never be reopened (409).',
    fields: { final: { type: 'boolean', description: 'closed for good: never reopened (default false)' } },
    defaults: (f) => ({ final: f.final ?? false }),
  },
};
