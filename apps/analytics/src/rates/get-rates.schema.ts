// The query string of GET /v1/rates.
import { GRANULARITIES, type Granularity } from '@minyi/indices';
import { RequestSchema } from '@minyi/platform';
import { DATE_PATTERN } from '../satisfaction/get-satisfaction.schema.js';

export interface GetRatesParams {
  scope: string;
  granularity: Granularity;
  from: string;
  to: string;
}

export const getRatesSchema = new RequestSchema<GetRatesParams>({
  type: 'object',
  additionalProperties: false,
  required: ['scope', 'granularity', 'from', 'to'],
  properties: {
    scope: { type: 'string', pattern: '^unit:[A-Za-z0-9._:-]{1,64}$', description: 'unit:<id>: cases whose responsible unit is it or below it now' },
    granularity: { enum: [...GRANULARITIES] },
    from: { type: 'string', pattern: DATE_PATTERN, description: 'a date YYYY-MM-DD (inclusive)' },
    to: { type: 'string', pattern: DATE_PATTERN, description: 'a date YYYY-MM-DD (inclusive)' },
  },
});
