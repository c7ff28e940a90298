// The follow-up's steps as requests (API.md "Bad-rating follow-ups"): each one's own fields beside stepId and
// occurredAt. `void` has none: only the system takes it, when the administrator voids the rating.
import { score5, stepText } from '@minyi/contracts';
import { KiB } from '@minyi/platform';
import type { StepDefinition } from '@minyi/case-api';

/** A verification's reason becomes the rating's void reason when it finds the rating invalid: the void's own limit. */
const voidReason = { type: 'string', minLength: 1, maxLength: 500, description: 'why (申诉复核): 1–500 characters; required when valid is false, and then the rating’s void reason' } as const;

export const followUpSteps: Record<string, StepDefinition> = {
  verify: {
    summary: 'Verify a bad rating (核实): valid, or found invalid on appeal (申诉复核), which voids the rating',
    description: 'valid: true → verified; valid: false → invalid (reason required): the rating is voided with that reason, exactly as POST /v1/ratings/{id}/void does, and the follow-up leaves every rate.',
    fields: { valid: { type: 'boolean', description: 'whether the bad rating stands' }, reason: voidReason },
    required: ['valid'],
    // API.md: found invalid, the reason is required — a 400 with the rest of the body, before the case is read.
    rules: [{ if: { properties: { valid: { const: false } }, required: ['valid'] }, then: { required: ['reason'] } }],
    defaults: (f) => ({ valid: f.valid, reason: f.reason ?? null }),
  },
  rectify: {
    summary: 'Record the rectification (整改): the handling step',
    description: 'On time when occurredAt ≤ the follow-up’s dueAt (MINYI_FOLLOWUP_DUE_DAYS working days after the rating).',
    fields: { summary: { ...stepText, description: 'what was done: 1–5000 characters' } },
    required: ['summary'],
    bodyLimit: { bytes: 64 * KiB, reason: 'a summary at its largest (5000 characters, every one sent as a \\uXXXX escape of a surrogate pair) is about 60 KB' },
  },
  callback: {
    summary: 'Record the callback (回访): the rater’s view of the rectification, 1–5',
    description: 'Not counted in /v1/satisfaction (the rating itself already is).',
    fields: { score: { ...score5, description: '5 非常满意 … 1 非常不满意' } },
    required: ['score'],
  },
};
