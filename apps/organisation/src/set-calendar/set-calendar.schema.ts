// The request body of PUT /v1/calendar/{year}.
import { RequestSchema } from '@minyi/platform';

export interface SetCalendarBody {
  holidays: string[];
  workdays: string[];
}

const dates = (description: string, example: string[]) => ({
  type: 'array',
  maxItems: 366,
  items: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date YYYY-MM-DD' },
  description,
  example,
});

export const setCalendarSchema = new RequestSchema<SetCalendarBody>({
  type: 'object',
  additionalProperties: false,
  required: ['holidays', 'workdays'],
  properties: {
    holidays: dates('the year’s public holidays that would otherwise be working days (at most 366; each in the year)', ['2026-10-01', '2026-10-02', '2026-10-05']),
    workdays: dates('make-up working days (调休), usually a Saturday or Sunday (at most 366; each in the year, none a holiday)', ['2026-09-27', '2026-10-10']),
  },
});
