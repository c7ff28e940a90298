// The query string of GET /v1/rankings.
import { CHANNEL_FILTERS, ID_PATTERN, type ChannelFilter } from '@minyi/contracts';
import { GRANULARITIES, type Granularity, type RankMetric } from '@minyi/indices';
import { RequestSchema } from '@minyi/platform';

export interface GetRankingsParams {
  parentId: string;
  of: 'units' | 'windows' | 'officers';
  granularity: Granularity;
  period: string;
  metric?: RankMetric;
  minN?: string;
  channel?: ChannelFilter;
}

export const getRankingsSchema = new RequestSchema<GetRankingsParams>({
  type: 'object',
  additionalProperties: false,
  required: ['parentId', 'of', 'granularity', 'period'],
  properties: {
    parentId: { type: 'string', pattern: ID_PATTERN, description: 'the unit whose children (or windows, officers below it) are ranked' },
    of: { enum: ['units', 'windows', 'officers'] },
    granularity: { enum: [...GRANULARITIES] },
    period: { type: 'string', minLength: 4, maxLength: 10, description: '2026-10-21, 2026-W43, 2026-10, 2026-Q4 or 2026, matching granularity' },
    metric: { enum: ['index', 'satisfactionRate'], description: 'default index' },
    minN: { type: 'string', pattern: '^\\d{1,9}$', description: 'a whole number ≥ 0 (default 1): fewer answers go to "insufficient"' },
    channel: { enum: [...CHANNEL_FILTERS], description: 'default all: every channel\'s answers, each once' },
  },
});
