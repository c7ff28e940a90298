// The query string of GET /v1/satisfaction.
import { RequestSchema } from '@minyi/platform';
import { GRANULARITIES, type Granularity } from '@minyi/indices';
import { CHANNEL_FILTERS, type ChannelFilter } from '@minyi/contracts';

export interface GetSatisfactionParams {
  scope: string;
  granularity: Granularity;
  from: string;
  to: string;
  channel?: ChannelFilter;
}

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

export const getSatisfactionSchema = new RequestSchema<GetSatisfactionParams>({
  type: 'object',
  additionalProperties: false,
  required: ['scope', 'granularity', 'from', 'to'],
  properties: {
    scope: {
      type: 'string',
      pattern: '^(unit|window|officer):[A-Za-z0-9._:-]{1,64}$',
      description: 'unit:<id> (the unit and all below it), window:<id> or officer:<id>',
    },
    granularity: { enum: [...GRANULARITIES] },
    from: { type: 'string', pattern: DATE_PATTERN, description: 'a date YYYY-MM-DD (inclusive)' },
    to: { type: 'string', pattern: DATE_PATTERN, description: 'a date YYYY-MM-DD (inclusive)' },
    channel: { enum: [...CHANNEL_FILTERS], description: 'default all' },
  },
});
