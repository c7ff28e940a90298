// The JSON Schemas of rating requests (API.md "Ratings"), compiled once.
import { ID_PATTERN } from '@minyi/contracts';
import { RequestSchema } from '@minyi/platform';

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm). */
export const OFFSET_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

export interface RatingBody {
  id: string;
  score: number;
  occurredAt: string;
  officerId?: string;
  serviceType?: string;
  reasons?: string[];
  comment?: string;
}

const ratingProperties = {
  id: { type: 'string', pattern: ID_PATTERN, description: 'client-made id: 1–64 of A-Za-z0-9._:- (a uuid is recommended)' },
  score: { type: 'integer', minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' },
  occurredAt: {
    type: 'string',
    pattern: OFFSET_DATE_TIME,
    format: 'date-time',
    description: 'an ISO 8601 time with its offset, e.g. 2026-10-21T09:30:00+08:00',
  },
  officerId: { type: 'string', pattern: ID_PATTERN, description: 'the officer who served, if known' },
  serviceType: { type: 'string', minLength: 1, maxLength: 64 },
  reasons: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 64 } },
  comment: { type: 'string', maxLength: 500 },
} as const;

export const ratingJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'score', 'occurredAt'],
  properties: ratingProperties,
};

export const ratingSchema = new RequestSchema<RatingBody>(ratingJsonSchema);

export interface ImportedRatingBody extends RatingBody {
  terminalId: string;
}

export const importedRatingJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'score', 'occurredAt', 'terminalId'],
  properties: { ...ratingProperties, terminalId: { type: 'string', pattern: ID_PATTERN, description: 'the terminal that recorded it' } },
};

export const importedRatingSchema = new RequestSchema<ImportedRatingBody>(importedRatingJsonSchema);

/** The envelope of a batch or an import; the items are judged one by one afterwards. */
export function ratingListSchema(maxItems: number, item: object) {
  return new RequestSchema<{ ratings: unknown[] }>({
    type: 'object',
    additionalProperties: false,
    required: ['ratings'],
    // Items are judged one by one afterwards, so that one malformed item does not refuse the others.
    properties: { ratings: { type: 'array', minItems: 1, maxItems, description: `1–${maxItems} ratings`, example: [item] } },
  });
}
