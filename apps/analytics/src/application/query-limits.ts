// What a read may ask for (API.md "Limits"): checked before any period list is built, at a cost that does not
// grow with the range.
import { InvalidInput, type FieldError } from '@minyi/contracts';
import { countPeriodsOverlapping, isValidDate, periodsOverlapping, type Granularity } from '@minyi/indices';

/** More periods than this in one series is refused (10 years of days ≈ 3,650). */
export const MAX_PERIODS = 4000;

/** No date before this is asked about; the period code also needs the year before it (year-over-year). */
export const EARLIEST_DATE = '1900-01-01';

/**
 * The periods of a series over [from, to] (inclusive local dates), oldest first: 400 naming the field when a date is
 * not real, before 1900, `to` before `from`, or the range spans more than MAX_PERIODS (counted from the two ends, so
 * that a refused range costs what an accepted one does).
 */
export function seriesPeriods(from: string, to: string, g: Granularity): string[] {
  const errors: FieldError[] = [];
  for (const [path, date] of [['from', from], ['to', to]] as const) {
    if (!isValidDate(date)) errors.push({ path, message: 'is not a real date' });
    else if (date < EARLIEST_DATE) errors.push({ path, message: `must not be before ${EARLIEST_DATE}` });
  }
  if (!errors.length && from > to) errors.push({ path: 'to', message: 'must not be before from' });
  if (errors.length) throw new InvalidInput('the query is invalid', errors);
  const count = countPeriodsOverlapping(from, to, g);
  if (count > MAX_PERIODS) {
    throw new InvalidInput(`the range spans ${count} ${g} periods; at most ${MAX_PERIODS}`, [{ path: 'to', message: `spans more than ${MAX_PERIODS} periods` }]);
  }
  return periodsOverlapping(from, to, g);
}
