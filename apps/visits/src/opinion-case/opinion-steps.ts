// The opinion's steps as requests (API.md "Opinions and suggestions"): each one's own fields beside stepId and
// occurredAt, and what a request may leave out — assign's working days (15).
import { replyVia, score5, stepText, unitIdSchema, workingDays } from '@minyi/contracts';
import { KiB } from '@minyi/platform';
import type { StepDefinition } from '@minyi/case-api';
import { DEFAULT_OPINION_DUE_WORKING_DAYS } from '../domain/opinion.kind.js';

/** A step carrying 5000 characters of text. */
export const TEXT_STEP_LIMIT = {
  bytes: 64 * KiB,
  reason: 'a step at its largest (5000 characters of text, every one sent as a \\uXXXX escape of a surrogate pair) is about 60 KB',
} as const;

const text = (description: string) => ({ ...stepText, description: `${description}: 1–5000 characters, kept as sent` });

export const opinionSteps: Record<string, StepDefinition> = {
  assign: {
    summary: 'Assign an opinion to the responsible level (分级负责), with a deadline',
    description: 'The unit becomes responsible; dueInWorkingDays defaults to 15. Again from assigned: a reassignment, which moves the opinion’s cohort to the new unit.',
    fields: { unitId: { ...unitIdSchema, description: 'a unit id (1–64 of A-Za-z0-9._:-); it must exist' }, dueInWorkingDays: { ...workingDays, description: `working days until the deadline, 1–60 (default ${DEFAULT_OPINION_DUE_WORKING_DAYS})` } },
    required: ['unitId'],
    defaults: (f) => ({ unitId: f.unitId, dueInWorkingDays: f.dueInWorkingDays ?? DEFAULT_OPINION_DUE_WORKING_DAYS }),
    deadlineDays: 'dueInWorkingDays',
    unitFields: ['unitId'],
  },
  rectify: {
    summary: 'Record that an opinion was rectified (落实整改): a handling step',
    description: 'From collected it is 立行立改, on the spot, with no deadline: on time. Otherwise on time when occurredAt ≤ the dueAt in force.',
    fields: { summary: text('what was done') },
    required: ['summary'],
    bodyLimit: TEXT_STEP_LIMIT,
  },
  explain: {
    summary: 'Record that an opinion cannot be done, and why (解释说明): a handling step',
    description: 'On time when occurredAt ≤ the dueAt in force (or none is). Counted as explained, not rectified, when it is the latest handling step.',
    fields: { text: text('why it cannot be done') },
    required: ['text'],
    bodyLimit: TEXT_STEP_LIMIT,
  },
  reply: {
    summary: 'Record the answer given back to the resident (及时反馈)',
    fields: { text: text('what the resident was told'), via: { ...replyVia, description: 'how' } },
    required: ['text', 'via'],
    bodyLimit: TEXT_STEP_LIMIT,
  },
  rate: {
    summary: 'Record the resident’s rating of the answer, 1–5',
    description: 'Counted in /v1/satisfaction channel visits, at the responsible unit as it is now, in the period of occurredAt.',
    fields: { score: { ...score5, description: '5 非常满意 … 1 非常不满意' } },
    required: ['score'],
  },
  reopen: {
    summary: 'Reopen an opinion',
    description: 'Resets handled, replied and the rating; the deadline in force stays until a step sets a new one.',
    fields: { reason: text('why') },
    required: ['reason'],
    bodyLimit: TEXT_STEP_LIMIT,
  },
};
