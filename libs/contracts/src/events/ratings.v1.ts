// Rating events, version 1: a citizen's press on a window's rating terminal, and its voiding.
import { ID_PATTERN } from '../ids.js';
import type { EventDefinition } from '../event-definition.js';

const id = { type: 'string', pattern: ID_PATTERN } as const;
const nullableId = { anyOf: [id, { type: 'null' }] } as const;

export type RatingSource = 'terminal' | 'batch' | 'import';

export interface RatingSubmittedV1 {
  ratingId: string;
  terminalId: string;
  windowId: string;
  unitId: string;
  score: 1 | 2 | 3 | 4 | 5;
  officerId: string | null;
  serviceType: string | null;
  reasons: string[];
  comment: string | null;
  source: RatingSource;
}
export const RatingSubmitted: EventDefinition<RatingSubmittedV1> = {
  type: 'RatingSubmitted',
  version: 1,
  context: 'ratings',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['ratingId', 'terminalId', 'windowId', 'unitId', 'score', 'officerId', 'serviceType', 'reasons', 'comment', 'source'],
    properties: {
      ratingId: id,
      terminalId: id,
      windowId: id,
      unitId: id,
      score: { type: 'integer', minimum: 1, maximum: 5 },
      officerId: nullableId,
      serviceType: { anyOf: [{ type: 'string', minLength: 1, maxLength: 64 }, { type: 'null' }] },
      reasons: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 64 } },
      comment: { anyOf: [{ type: 'string', maxLength: 500 }, { type: 'null' }] },
      source: { enum: ['terminal', 'batch', 'import'] },
    },
  },
};

/** What a voided rating had counted for, so that read models can take it back without a lookup. */
export interface VoidedRatingFacts {
  score: 1 | 2 | 3 | 4 | 5;
  occurredAt: string;
  windowId: string;
  unitId: string;
  officerId: string | null;
}

export interface RatingVoidedV1 {
  ratingId: string;
  reason: string;
  rating: VoidedRatingFacts;
}
export const RatingVoided: EventDefinition<RatingVoidedV1> = {
  type: 'RatingVoided',
  version: 1,
  context: 'ratings',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['ratingId', 'reason', 'rating'],
    properties: {
      ratingId: id,
      reason: { type: 'string', minLength: 1, maxLength: 500 },
      rating: {
        type: 'object',
        additionalProperties: false,
        required: ['score', 'occurredAt', 'windowId', 'unitId', 'officerId'],
        properties: {
          score: { type: 'integer', minimum: 1, maximum: 5 },
          occurredAt: { type: 'string', minLength: 1 },
          windowId: id,
          unitId: id,
          officerId: nullableId,
        },
      },
    },
  },
};
