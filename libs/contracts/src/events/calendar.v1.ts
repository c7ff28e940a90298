// The working-day calendar, version 1: one year's holidays and make-up working days (调休), replaced whole.
import type { EventDefinition } from '../event-definition.js';

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export interface CalendarYearSetV1 {
  year: number;
  holidays: string[];
  workdays: string[];
}
export const CalendarYearSet: EventDefinition<CalendarYearSetV1, 'CalendarYearSet'> = {
  type: 'CalendarYearSet',
  version: 1,
  context: 'organisation',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['year', 'holidays', 'workdays'],
    properties: {
      year: { type: 'integer', minimum: 1900, maximum: 9999 },
      holidays: { type: 'array', maxItems: 366, uniqueItems: true, items: date },
      workdays: { type: 'array', maxItems: 366, uniqueItems: true, items: date },
    },
  },
};
