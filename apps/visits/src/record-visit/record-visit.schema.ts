// The request body of POST /v1/visits (API.md "Visits").
import { ID_PATTERN, MEETING_LEVELS, VISIT_TARGETS, type MeetingLevel, type VisitTarget } from '@minyi/contracts';
import { occurredAtSchema } from '@minyi/case-api';
import { RequestSchema } from '@minyi/platform';

/** The most attendees one meeting may record (API.md leaves the top open: 0..). */
export const MAX_ATTENDEES = 1_000_000;

export interface RecordVisitBody {
  id: string;
  unitId: string;
  /** Absent or null: none named. */
  officerId?: string | null;
  occurredAt: string;
  target: { kind: VisitTarget; ref?: string | null };
  meeting?: { level: MeetingLevel; attendees: number } | null;
  notes?: string | null;
}

export const recordVisitSchema = new RequestSchema<RecordVisitBody>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'unitId', 'occurredAt', 'target'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:- (a uuid is recommended)', example: 'v-2026-10-21-0001' },
    unitId: { type: 'string', pattern: ID_PATTERN, description: 'the unit whose officers made the visit (1–64 of A-Za-z0-9._:-)', example: 'bt-kdl-ss' },
    officerId: {
      type: ['string', 'null'],
      pattern: ID_PATTERN,
      description: 'the visiting officer (楼长民警); must belong to unitId or a unit above or below it (else 422); absent or null: none named',
      example: 'o-bt-kdl-ss-1',
    },
    occurredAt: { ...occurredAtSchema, description: 'when the visit took place, with its offset: at most 5 minutes ahead and 365 days old' },
    target: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: { enum: [...VISIT_TARGETS], description: 'what was visited', example: 'household' },
        ref: {
          type: ['string', 'null'],
          minLength: 1,
          maxLength: 128,
          description: 'the household’s or place’s own code, 1–128 characters: households count by distinct ref (a household visit without one counts on its own)',
          example: 'kdl-ss-12-3-501',
        },
      },
    },
    meeting: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['level', 'attendees'],
      properties: {
        level: { enum: [...MEETING_LEVELS], description: 'the level of the talk meeting (四级恳谈): city bureau, branch, station, building officer', example: 'station' },
        attendees: { type: 'integer', minimum: 0, maximum: MAX_ATTENDEES, description: `how many attended, 0–${MAX_ATTENDEES}`, example: 24 },
      },
      description: 'a talk meeting (恳谈会) held on the visit; absent or null: none',
    },
    notes: { type: ['string', 'null'], maxLength: 5000, description: 'the officer’s notes, at most 5000 characters, kept as sent', example: '走访独居老人，了解养犬扰民情况。' },
  },
});
