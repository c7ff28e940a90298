// One year of the working-day calendar (API.md "The working-day calendar"): its holidays and make-up working days
// (调休), replaced whole by each PUT. The lists are sets of dates: kept sorted, each date once.
import { CalendarYearSet, InvalidInput, type CalendarYearSetV1, type Decider, type DomainEvent, type FieldError } from '@minyi/contracts';
import { isValidDate } from '@minyi/indices';

export const FIRST_CALENDAR_YEAR = 1900;
export const LAST_CALENDAR_YEAR = 9999;

export interface SetCalendarYear {
  type: 'SetCalendarYear';
  year: number;
  holidays: readonly string[];
  workdays: readonly string[];
}

/** The year's lists as they stand (empty when never set). */
export interface CalendarYearState {
  holidays: string[];
  workdays: string[];
}

export type CalendarEvent = DomainEvent<typeof CalendarYearSet.type, CalendarYearSetV1>;

/** The year of a path (`/v1/calendar/2026`): four digits, 1900–9999, else a 400 naming `year`. */
export function calendarYearOf(text: string): number {
  const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!(year >= FIRST_CALENDAR_YEAR && year <= LAST_CALENDAR_YEAR)) {
    throw new InvalidInput('the year in the path is not one minyi keeps a calendar for', [{ path: 'year', message: `must be a year from ${FIRST_CALENDAR_YEAR} to ${LAST_CALENDAR_YEAR}` }]);
  }
  return year;
}

/** Sorted, each date once: `YYYY-MM-DD` text sorts as the dates do. */
export function normalisedDates(dates: readonly string[]): string[] {
  return [...new Set(dates)].sort();
}

function problemsOf(command: SetCalendarYear): FieldError[] {
  const errors: FieldError[] = [];
  const { year } = command;
  if (!Number.isInteger(year) || year < FIRST_CALENDAR_YEAR || year > LAST_CALENDAR_YEAR) {
    errors.push({ path: 'year', message: `must be a year from ${FIRST_CALENDAR_YEAR} to ${LAST_CALENDAR_YEAR}` });
    return errors;
  }
  const holidays = new Set(command.holidays);
  for (const list of ['holidays', 'workdays'] as const) {
    command[list].forEach((date, i) => {
      const path = `${list}.${i}`;
      if (!isValidDate(date)) errors.push({ path, message: 'must be a date YYYY-MM-DD that exists' });
      else if (Number(date.slice(0, 4)) !== year) errors.push({ path, message: `is not in ${year}` });
      else if (list === 'workdays' && holidays.has(date)) errors.push({ path, message: 'is also in holidays: a date is a holiday or a make-up working day, not both' });
    });
  }
  return errors;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export const calendarDecider: Decider<SetCalendarYear, CalendarYearState, CalendarEvent> = {
  initialState: () => ({ holidays: [], workdays: [] }),

  evolve(state, event) {
    if (event.type !== CalendarYearSet.type) return state;
    return { holidays: [...event.data.holidays], workdays: [...event.data.workdays] };
  },

  decide(command, state) {
    const errors = problemsOf(command);
    if (errors.length > 0) throw new InvalidInput(`the calendar of ${command.year} is invalid`, errors);
    const holidays = normalisedDates(command.holidays);
    const workdays = normalisedDates(command.workdays);
    // The same lists again (or empty ones for a year never set) change nothing.
    if (sameList(holidays, state.holidays) && sameList(workdays, state.workdays)) return [];
    return [{ type: CalendarYearSet.type, data: { year: command.year, holidays, workdays }, unitId: null }];
  },
};
